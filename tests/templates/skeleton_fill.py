"""A small project written into the skeleton that ``docflow init`` makes, as a PM fills it in:
every field the built-in workflow's guards ask for, in the project's language, and nothing more.

The contract: 500,000.00 in three instalments (40/50/10%), completion due 31 December 2026, a
twelve-month warranty from the final acceptance; maintenance (12,000.00 in two instalments)
starts the day after the warranty ends. Requirements are not delivered when the memo is signed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["fill_skeleton"]

WORDS = {
    "zh-CN": {
        "client": "县人民医院",
        "vendor": "明远软件有限公司",
        "client_rep": "张伟",
        "vendor_rep": "李强",
        "pm": "王磊",
        "admin": "赵敏",
        "contract": "县人民医院检验信息系统实施合同",
        "project": "县人民医院检验信息系统",
        "text": "检验信息系统的安装、培训与验收。",
        "item": "检验报告审核",
        "nfr": "报告查询响应不超过2秒",
    },
    "en": {
        "client": "County Hospital",
        "vendor": "Mingyuan Software Ltd.",
        "client_rep": "Zhang Wei",
        "vendor_rep": "Li Qiang",
        "pm": "Wang Lei",
        "admin": "Zhao Min",
        "contract": "County Hospital Laboratory System Contract",
        "project": "County Hospital Laboratory System",
        "text": "Installation, training and acceptance of the laboratory system.",
        "item": "Report validation",
        "nfr": "Report queries answer within 2 seconds",
    },
}


def fill_skeleton(data: dict[str, Any], locale: str) -> None:
    """Fill the skeleton's `data` in place (its project code and locale stay as init set them)."""
    w = WORDS[locale]
    text = w["text"]
    data["project"].update(name=w["project"], subsystems=[])
    data["parties"]["client"].update(
        name=w["client"],
        address="1 Main Road",
        representative=w["client_rep"],
        contact={"name": w["admin"], "phone": "0571-1000 0001"},
        accountable_person={"name": w["client_rep"], "title": "Director"},
    )
    data["parties"]["vendor"].update(
        name=w["vendor"],
        address="2 Park Road",
        representative=w["vendor_rep"],
        contact={"name": w["pm"], "phone": "0571-2000 0002"},
        project_manager={"name": w["pm"], "phone": "139 0000 0002"},
        bank={"bank": "Bank of Hangzhou", "account_name": w["vendor"], "account": "3301 0000 0001"},
    )
    data["contract"].update(
        number="CH-2026-001",
        title=w["contract"],
        signed_on="2026-03-02",
        amount="500000.00",
        scope=text,
        schedule={"start": "2026-03-09", "end": "2026-12-31", "notes": ""},
        acceptance_terms=text,
        change_control_terms=text,
        payments=[
            {"name": "P1", "percent": 40, "condition": text},
            {"name": "P2", "percent": 50, "condition": text},
            {"name": "P3", "percent": 10, "condition": text},
        ],
        warranty={"months": 12, "starts": "acceptance", "scope": text},
        invoice="VAT",
        dispute={"method": "arbitration", "venue": "Hangzhou Arbitration Commission"},
    )
    data["risks"] = [{"description": text, "likelihood": "low", "impact": "low"}]
    data["key_users"] = [{"name": w["admin"], "department": "IT", "level": "admin"}]
    data["survey"].update(
        purpose=text,
        sessions=[
            {
                "date": "2026-04-01",
                "department": "Lab",
                "topic": text,
                "participants": {"client": [w["admin"]], "vendor": [w["pm"]]},
            }
        ],
        preparation={"people": [w["admin"]], "time": "2h", "equipment": [], "materials": []},
        memo_due="2026-04-10",
        methods=[text],
        team=[{"name": w["pm"], "duty": text}],
        outputs=[{"name": "Memo", "due": "2026-04-10"}],
        prepared_by=w["pm"],
    )
    data["requirements"] = [
        {"id": "R-1", "title": w["item"], "priority": "must", "verification": "test"},
        {"id": "R-2", "title": text, "priority": "should", "verification": "demo"},
        {
            "id": "R-3",
            "title": w["nfr"],
            "type": "non_functional",
            "priority": "must",
            "verification": "test",
        },
    ]
    dep = data["deployment"]
    dep.update(
        sites=[{"name": w["client"]}],
        window={"start": "2026-08-03", "end": "2026-08-14"},
        steps=[text],
        system_test={"done": True, "date": "2026-07-20"},
        rehearsal={"done": True, "date": "2026-07-24"},
        backup={"plan": text, "rollback": text, "done": True, "date": "2026-08-03"},
        training=[{"audience": "admin", "topic": text, "hours": 8, "done": True}],
        onsite_test={"done": True, "date": "2026-08-10"},
        summary=text,
        environment=[{"item": "DB", "detail": "PostgreSQL"}],
        team=[{"name": w["pm"], "duty": text}],
        milestones=[{"name": "Go-live", "date": "2026-08-11"}],
        cutover={"date": "2026-08-11", "notify": ["Lab"]},
        on_call=[{"name": w["pm"], "phone": "139 0000 0002"}],
    )
    data["acceptance"].update(
        date="2026-09-15",
        criteria=[text],
        team=[
            {"name": w["client_rep"], "party": "client"},
            {"name": w["pm"], "party": "vendor"},
        ],
        deliverables=[{"name": w["project"], "kind": "software"}],
        opinion=text,
        conclusion="pass",
    )
    data["completion"].update(date="2026-09-30", handover=[{"name": "Manual", "kind": "document"}])
    data["maintenance"].update(
        start="2027-09-15",
        months=12,
        fee="12000.00",
        payments=[
            {"name": "M1", "amount": "6000.00", "condition": text},
            {"name": "M2", "amount": "6000.00", "condition": text},
        ],
        scope=[text],
        service_levels=[
            {"level": 1, "name": "L1", "response_hours": 1, "onsite_hours": 4, "resolve_hours": 8}
        ],
        penalties={"sla_breach_percent": 1, "cap_percent": 10},
    )
