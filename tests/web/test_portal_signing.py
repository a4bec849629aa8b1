"""Signing through links over HTTP: portal signatures, uploads, declines, CSRF, signing order."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from portal_helpers import (
    SEAL_PASSWORD,
    STROKES,
    PortalCase,
    csrf_of,
    document,
    pdfsig,
    sign_form,
    token_of,
)

from docflow import api
from docflow.sign import verify_signed_pdf


def test_both_parties_sign_online_and_the_record_holds(client, case: PortalCase) -> None:
    """Vendor then client sign through their links; each signs only its own field, the seals
    verify, the certificate is made, and everything is exported and verified."""
    issued = (case.ws / "documents" / "RM-1-v1.pdf").read_bytes()
    vendor = token_of(case.share(party="vendor"))
    csrf = csrf_of(client.get(f"/s/{vendor}").text)
    # A form that names another party changes nothing: the link decides the field.
    done = client.post(
        f"/s/{vendor}/sign",
        data=sign_form(csrf, "陈志远", party="client"),
        headers={"user-agent": "PortalTest/1.0"},
    )
    assert done.status_code == 200 and "签署完成" in done.text
    rm = document(case.ws, "RM-1")
    assert rm["awaiting"] == ["client"] and rm["status"] == "issued"
    (sig,) = rm["signatures"]
    assert (sig["party"], sig["method"], sig["signer"]) == ("vendor", "portal", "陈志远")
    signed = (case.ws / "documents" / "RM-1-v1.signed.pdf").read_bytes()
    check = verify_signed_pdf(issued, signed, "vendor")
    assert check.field == "vendor" and "Portal Seal Test" in check.signer_subject
    assert client.get(f"/s/{vendor}").status_code == 410
    assert client.post(f"/s/{vendor}/sign", data=sign_form(csrf)).status_code == 410

    client_token = token_of(case.share(party="client"))
    page = client.get(f"/s/{client_token}")
    assert "已签署" in page.text  # the vendor's signature is shown on the page
    assert (
        client.post(f"/s/{client_token}/sign", data=sign_form(csrf_of(page.text))).status_code
        == 200
    )
    project = api.Project.open(case.ws)
    rm = document(case.ws, "RM-1")
    assert rm["status"] == "signed" and rm["awaiting"] == []
    assert [s["method"] for s in rm["signatures"]] == ["portal", "portal"]
    final = case.ws / "documents" / "RM-1-v1.signed.pdf"
    report = pdfsig(final)
    assert report.count("Signature is Valid") == 2 and "Total document signed" in report
    verify_signed_pdf(signed, final.read_bytes(), "client")
    assert project.verify().ok, project.verify().problems
    events = [e for e in project.log() if e.type == "signature" and e.data["method"] == "portal"]
    evidence = events[0].data["evidence"]
    assert evidence["user_agent"] == "PortalTest/1.0" and evidence["ip"]
    assert evidence["name"] == "陈志远" and evidence["code_verified"] is False
    assert len(evidence["drawing_sha256"]) == 64 and "电子签名" in evidence["consent"]
    assert events[0].data["link"] and events[0].data["method"] == "portal"
    certificate = case.ws / "documents" / "RM-1-v1.certificate.pdf"
    assert certificate.read_bytes().startswith(b"%PDF-")
    bundle = project.export_legal(case.ws / "legal.zip")
    names = zipfile.ZipFile(io.BytesIO((case.ws / "legal.zip").read_bytes())).namelist()
    assert "annex-01-RM-1-v1.certificate.pdf" in names
    assert any(r["signers"][0]["method"] == "portal" for r in bundle.register)
    from portal_helpers import run_sql

    run_sql(case.ws, "UPDATE certificates SET sha256 = ?", rm["sha256"]["pdf"])
    assert [p.kind for p in project.verify().problems] == ["certificate"]
    run_sql(
        case.ws,
        "UPDATE certificates SET sha256 = ?",
        hashlib.sha256(certificate.read_bytes()).hexdigest(),
    )
    certificate.unlink()
    assert not project.verify().ok
    assert "documents/RM-1-v1.certificate.pdf" in project.render().restored
    assert project.verify().ok


def test_certificate_names_the_evidence(case: PortalCase, client) -> None:
    """The certificate's text: both hashes, each signer, method, IP, browser, chain head."""
    import subprocess

    api.Project.open(case.ws, actor="pm").sign(api.SignRequest("RM-1", "vendor", "陈志远"))
    token = token_of(case.share(party="client"))
    csrf = csrf_of(client.get(f"/s/{token}").text)
    client.post(f"/s/{token}/sign", data=sign_form(csrf), headers={"user-agent": "UA/9"})
    cert = case.ws / "documents" / "RM-1-v1.certificate.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(cert), "-"], capture_output=True, text=True, check=True
    ).stdout
    rm = document(case.ws, "RM-1")
    log = api.Project.open(case.ws).log()
    assert log[-1].type == "certificate.issued"  # the head it prints is the event before
    flat = text.replace("\n", "").replace(" ", "")
    final = hashlib.sha256((case.ws / "documents" / "RM-1-v1.signed.pdf").read_bytes())
    for expected in (
        rm["sha256"]["pdf"],
        final.hexdigest(),
        "陈志远",
        "王晓东",
        "UA/9",
        "在线签署",
        "手签",
        "未验证",
        log[-2].hash,
    ):
        assert expected in flat, expected


@pytest.mark.parametrize("route", ["sign", "upload", "decline", "code"])
@pytest.mark.parametrize("token_given", [None, "forged"], ids=["missing", "wrong"])
def test_forms_without_their_csrf_token_are_403(client, case, route, token_given) -> None:
    token = token_of(case.share())
    client.get(f"/s/{token}")  # the browser holds its CSRF cookie
    data = {"signer": "王晓东", "reason": "no", "consent": "yes", "drawing": STROKES}
    if token_given:
        data["csrf"] = token_given
    answer = client.post(f"/s/{token}/{route}", data=data)
    assert answer.status_code == 403
    assert document(case.ws, "RM-1")["signatures"] == []
    assert api.Project.open(case.ws).links()[0].state == "open"


def test_decline_is_recorded_and_shown_in_status(client, case: PortalCase) -> None:
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    answer = client.post(
        f"/s/{token}/decline",
        data={"csrf": csrf, "signer": "王晓东", "reason": "第3.2条接口范围需修改"},
    )
    assert answer.status_code == 200 and "已拒绝签署" in answer.text
    project = api.Project.open(case.ws)
    (declined,) = project.status().to_dict()["declines"]
    assert declined["reason"] == "第3.2条接口范围需修改" and declined["party"] == "client"
    assert [e.type for e in project.log()][-1] == "signature.declined"
    assert client.get(f"/s/{token}").status_code == 410
    assert project.links()[0].state == "used"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        pytest.param({"consent": ""}, "请勾选上面的声明", id="no-consent"),
        pytest.param({"signer": "  "}, "请填写您的姓名", id="no-name"),
        pytest.param({"drawing": "[[1,2,3]]"}, "x, y", id="odd-stroke"),
        pytest.param({"drawing": "[[5000,5]]"}, "canvas", id="off-canvas"),
        pytest.param({"drawing": '{"a": 1}'}, "strokes", id="not-a-list"),
    ],
)
def test_bad_signing_forms_change_nothing(client, case: PortalCase, form, message) -> None:
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    answer = client.post(f"/s/{token}/sign", data={**sign_form(csrf), **form})
    assert answer.status_code == 400 and message in answer.text
    assert document(case.ws, "RM-1")["signatures"] == []
    assert client.get(f"/s/{token}").status_code == 200


def test_upload_of_a_scan_is_recorded_through_the_sign_checks(client, case: PortalCase) -> None:
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    answer = client.post(
        f"/s/{token}/upload",
        data={"csrf": csrf, "signer": "王晓东"},
        files={"file": ("scan.png", png, "image/png")},
    )
    assert answer.status_code == 200, answer.text
    (sig,) = document(case.ws, "RM-1")["signatures"]
    assert (sig["method"], sig["file"]) == ("scan", "scan.png")
    assert client.get(f"/s/{token}").status_code == 410
    assert api.Project.open(case.ws).log()[-1].type == "link.used"


def test_upload_of_a_forged_pdf_is_refused_and_records_nothing(client, case) -> None:
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    issued = (case.ws / "documents" / "RM-1-v1.pdf").read_bytes()
    forged = issued + b"\n1 0 obj\n<</ByteRange [0 1 2 3]>>\nendobj\n%%EOF\n"
    answer = client.post(
        f"/s/{token}/upload",
        data={"csrf": csrf, "signer": "王晓东"},
        files={"file": ("signed.pdf", forged, "application/pdf")},
    )
    assert answer.status_code == 422
    assert document(case.ws, "RM-1")["signatures"] == []
    assert client.get(f"/s/{token}").status_code == 200


def test_bodies_over_the_input_bound_are_413(case: PortalCase, monkeypatch) -> None:
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    monkeypatch.setenv("DOCFLOW_MAX_INPUT_MB", "1")
    app = create_app(ServeConfig(case.url, "http://testserver"), case.portal)
    token = token_of(case.share())
    with TestClient(app) as small:
        answer = small.post(f"/s/{token}/upload", files={"file": ("a.pdf", b"0" * 1_200_000)})
    assert answer.status_code == 413
    assert document(case.ws, "RM-1")["signatures"] == []


def test_signing_order_is_respected(client, case: PortalCase, monkeypatch) -> None:
    """With the workflow's order client before vendor, the vendor's link waits."""
    from docflow.app import portal as app_portal
    from docflow.errors import Conflict
    from docflow.spec.workflow import SignaturePolicy

    spec = app_portal._spec("implementation")
    ordered = spec.model_copy(update={"signatures": SignaturePolicy(order=("client", "vendor"))})
    monkeypatch.setattr(app_portal, "_spec", lambda _name: ordered)
    token = token_of(case.share(party="vendor"))
    page = client.get(f"/s/{token}")
    assert page.status_code == 200 and "请等待甲方先签署" in page.text
    assert 'action="/s/' + token + '/sign"' not in page.text
    answer = client.post(f"/s/{token}/sign", data=sign_form(csrf_of(page.text), "陈志远"))
    # The project's language, as the page around it: zh-CN here.
    assert answer.status_code == 409 and "甲方须先于乙方签署" in answer.text
    assert "must sign before" not in answer.text
    project = api.Project.open(case.ws, actor="pm")
    session = project._take()
    session.spec = ordered
    from docflow.app.signing import sign

    with pytest.raises(Conflict, match="按甲方、乙方的顺序签署：甲方须先于乙方签署"):
        sign(session, api.SignRequest("RM-1", "vendor", "陈志远"))


def test_vendor_countersigns_a_portal_signature_with_its_own_certificate(
    client, case: PortalCase, seal_pki
) -> None:
    """Any mix of methods: the client online, the vendor with its PKCS#12 at the command
    line's API; the last signature makes the certificate there too."""
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    assert client.post(f"/s/{token}/sign", data=sign_form(csrf)).status_code == 200
    online = (case.ws / "documents" / "RM-1-v1.signed.pdf").read_bytes()
    result = api.Project.open(case.ws, actor="pm").sign(
        api.SignRequest(
            "RM-1",
            "vendor",
            "陈志远",
            p12=api.Upload("v.p12", seal_pki.client_p12),
            p12_password=b"seal secret",
        )
    )
    assert result.document.status == "signed"
    assert result.certificate == "documents/RM-1-v1.certificate.pdf"
    final = case.ws / "documents" / "RM-1-v1.signed.pdf"
    verify_signed_pdf(online, final.read_bytes(), "vendor")
    assert pdfsig(final).count("Signature is Valid") == 2
    methods = [s.method for s in result.document.signatures]
    assert methods == ["portal", "digital"]
    assert api.Project.open(case.ws).verify().ok


def test_refusals_on_the_signing_page_speak_the_projects_language(tmp_path: Path, seal_pki) -> None:
    """An English project's page refuses in English what a Chinese one refuses in Chinese:
    a missing name, an unticked statement and a decline without a reason."""
    from starlette.testclient import TestClient

    from docflow.app.demo import walk
    from docflow.web.app import ServeConfig, create_app

    ws = tmp_path / "en"
    api.init(ws, example=True, locale="en", actor="tester")
    walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until="survey.memo_issued")
    url = f"sqlite:///{(ws / '.docflow' / 'docflow.db').resolve()}"
    portal = api.Portal.open(url, seal_p12=seal_pki.vendor_p12, password=SEAL_PASSWORD)
    try:
        token = token_of(api.Project.open(ws, actor="pm").share("RM-1", "client"))
        with TestClient(create_app(ServeConfig(url, "http://testserver"), portal)) as client:
            csrf = csrf_of(client.get(f"/s/{token}").text)
            nameless = client.post(f"/s/{token}/sign", data=sign_form(csrf, signer=" "))
            assert nameless.status_code == 400 and "your name is required" in nameless.text
            unticked = client.post(f"/s/{token}/sign", data={**sign_form(csrf), "consent": ""})
            assert "tick the statement to sign" in unticked.text
            silent = client.post(
                f"/s/{token}/decline", data={"csrf": csrf, "signer": "Laura Sun", "reason": " "}
            )
            assert silent.status_code == 400 and "say why you decline" in silent.text
            for answer in (nameless, unticked, silent):
                assert "请" not in answer.text.split("<main", 1)[-1].split("</form>", 1)[0]
        assert document(ws, "RM-1")["signatures"] == []
    finally:
        portal.close()
