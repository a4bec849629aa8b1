"""``docflow sign``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import PARTY, date_option, day, json_option
from docflow.cli.output import emit
from docflow.errors import InvalidInput


def _trust_roots(paths: tuple[Path, ...]) -> tuple[bytes, ...]:
    """Certificates to trust: each --trust-root, then the files DOCFLOW_TRUST_ROOTS lists."""
    listed = [p for p in os.environ.get("DOCFLOW_TRUST_ROOTS", "").split(os.pathsep) if p]
    roots = []
    for path in (*paths, *map(Path, listed)):
        try:
            roots.append(path.read_bytes())
        except OSError as exc:
            raise InvalidInput(
                f"cannot read the trust root certificate {path}: {exc.strerror or exc}"
            ) from exc
    return tuple(roots)


def _password(path: Path | None) -> bytes | None:
    if path is not None:
        try:
            return path.read_bytes().rstrip(b"\r\n")
        except OSError as exc:
            raise InvalidInput(f"cannot read the password file {path}: {exc.strerror}") from exc
    env = os.environ.get("DOCFLOW_P12_PASSWORD")
    return env.encode() if env is not None else None


@click.command()
@click.argument("doc_id")
@click.option("--party", type=PARTY, required=True, help="client (甲方) or vendor (乙方).")
@click.option("--signer", help="Name of the person who signed (required unless --withdraw).")
@click.option(
    "--withdraw",
    is_flag=True,
    help="Withdraw PARTY's recorded signature instead (with --reason), before a step needs it.",
)
@click.option("--reason", help="Why the signature is withdrawn (with --withdraw).")
@click.option(
    "--file",
    "file",
    # Any path: docflow.inputs refuses what is not a regular file (exit 4), directories too.
    type=click.Path(path_type=Path),
    help="A scan (PDF, PNG, JPEG) or the PDF the party signed digitally.",
)
@date_option("of the signature")
@click.option(
    "--p12",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Vendor: sign the PDF with this PKCS#12 certificate.",
)
@click.option(
    "--p12-password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File holding the PKCS#12 password (else DOCFLOW_P12_PASSWORD).",
)
@click.option(
    "--trust-root",
    "trust_roots",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CA certificate (PEM or DER) to check digital signatures against; "
    "repeatable; also DOCFLOW_TRUST_ROOTS (a path list).",
)
@json_option
@click.pass_obj
def sign(
    env: Env,
    doc_id: str,
    party: str,
    signer: str | None,
    withdraw: bool,
    reason: str | None,
    file: Path | None,
    date: dt.datetime | None,
    p12: Path | None,
    p12_password_file: Path | None,
    trust_roots: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Record PARTY's signature on DOC_ID.

    Without --file, a wet-ink signature is recorded. --file takes a scan (PDF, PNG, JPEG),
    stored and hashed, or the issued PDF signed digitally, which must be the issued file plus
    that party's signature and nothing else. The vendor signs with --p12; its password comes
    from --p12-password-file or DOCFLOW_P12_PASSWORD, never from the command line.

    With --withdraw, PARTY's signature on DOC_ID is withdrawn for --reason (kept in the log):
    the document awaits PARTY again. Refused once a step that needed it was taken.
    """
    from docflow.api import SignRequest

    if withdraw:
        _withdraw(env, doc_id, party, reason, as_json, signer, file, p12, date)
        return
    if reason is not None:
        raise click.UsageError(env.tr("cli.reason_withdraw"))
    if file is not None and p12 is not None:
        raise InvalidInput(env.tr("cli.file_or_p12"))
    if signer is None:
        raise click.UsageError(env.tr("usage.missing_option", name="'--signer'"))
    if not signer.strip():
        raise InvalidInput(env.tr("cli.signer_empty"))
    req = SignRequest(
        doc_id,
        party,
        signer,
        file,
        day(date),
        p12,
        _password(p12_password_file) if p12 else None,
        _trust_roots(trust_roots),
    )
    project = env.project()
    view = project.sign(req).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        sig = view["signature"]
        line = tr(
            lang,
            "signed_by",
            id=view["id"],
            version=view["version"],
            party=word(lang, "party", party),
            method=word(lang, "method", sig["method"]),
            signer=signer,
        )
        if sig["certificate"]:
            line += tr(lang, "certificate", cert=sig["certificate"])
        con.print(escape(line))
        if sig["trust"]:
            con.print(f"  {escape(sig['trust'])}")
        if sig["signed_file"]:
            con.print(escape(tr(lang, "signed_file", path=sig["signed_file"])))
        con.print(escape(_state_line(lang, view)))
        if view.get("change_effective") and not view.get("warning"):
            con.print(escape(tr(lang, "now_effective", change=view["change_effective"])))
        if view.get("warning"):
            con.print(f"  [yellow]{tr(lang, 'warning')}[/yellow]: {escape(view['warning'])}")

    emit(view, as_json, human)


def _withdraw(
    env: Env,
    doc_id: str,
    party: str,
    reason: str | None,
    as_json: bool,
    *signing: object,
) -> None:
    """``sign --withdraw``: take PARTY's signature back."""
    if any(option is not None for option in signing):
        raise click.UsageError(env.tr("cli.withdraw_only"))
    if reason is None:
        raise click.UsageError(env.tr("cli.withdraw_reason"))
    project = env.project()
    view = project.withdraw_signature(doc_id, party, reason).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        sig = view["withdrawn"]
        line = tr(
            lang,
            "withdrawn",
            id=view["id"],
            version=view["version"],
            party=word(lang, "party", party),
            method=word(lang, "method", sig["method"]),
            signer=sig["signer"],
            reason=view["reason"],
        )
        con.print(escape(line))
        con.print(escape(_state_line(lang, view)))

    emit(view, as_json, human)


def _state_line(lang: str, view: dict[str, Any]) -> str:
    """``  status signed, awaiting vendor`` in ``lang``."""
    from docflow.api.frontend import tr, word

    line = tr(lang, "doc_status", status=word(lang, "status", view["status"]))
    if view["awaiting"]:
        waiting = tr(lang, "list_sep").join(word(lang, "party", p) for p in view["awaiting"])
        line += tr(lang, "doc_awaiting", parties=waiting)
    return line
