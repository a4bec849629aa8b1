"""The shipped ``implementation`` workflow: exactly DESIGN.md's table, and sound."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_helpers import fake_guard_check, placeholder_templates

from docflow.errors import SpecError
from docflow.spec.checks import check_workflow
from docflow.spec.loader import (
    find_workflow,
    list_workflows,
    load_workflow,
    load_workflow_with_lines,
)
from docflow.spec.workflow import GuardSpec

TRANSITIONS = [
    ("sign_contract", "contract.drafting", "contract.signed", ()),
    ("plan_survey", "contract.signed", "survey.planned", ("SP",)),
    ("start_survey", "survey.planned", "survey.in_progress", ()),
    ("issue_requirement_memo", "survey.in_progress", "survey.memo_issued", ("RM",)),
    ("confirm_requirements", "survey.memo_issued", "survey.confirmed", ()),
    ("plan_deployment", "survey.confirmed", "deployment.planned", ("DP",)),
    ("start_deployment", "deployment.planned", "deployment.in_progress", ()),
    ("finish_deployment", "deployment.in_progress", "deployment.done", ()),
    ("request_acceptance", "deployment.done", "acceptance.requested", ("AC", "CS")),
    ("reject_acceptance", "acceptance.requested", "deployment.in_progress", ()),
    ("accept", "acceptance.requested", "acceptance.accepted", ()),
    ("issue_completion_notice", "acceptance.accepted", "maintenance.notice_issued", ("CN",)),
    ("propose_maintenance", "maintenance.notice_issued", "maintenance.agreement_issued", ("MA",)),
    ("start_maintenance", "maintenance.agreement_issued", "maintenance.active", ()),
    ("close", "maintenance.active", "closed", ()),
]

DOCUMENTS = [
    ("SP", "survey_plan", ("client",), False),
    ("RM", "requirement_memo", ("client", "vendor"), True),
    ("CA", "change_annex", ("client", "vendor"), True),
    ("CRF", "change_request", ("client",), False),
    ("DP", "deployment_plan", ("client",), False),
    ("AC", "acceptance_certificate", ("client", "vendor"), False),
    ("CN", "completion_notice", ("client", "vendor"), False),
    ("MA", "maintenance_agreement", ("client", "vendor"), False),
    ("MM", "meeting_minutes", ("client",), False),
    ("PR", "progress_report", (), False),
    ("CS", "satisfaction_survey", (), False),
]

# Each guard written as (type, its identifying parameter), per transition.
GUARDS = {
    "sign_contract": [
        ("fields_present", None),
        ("min_items", "risks"),
        ("fields_present", None),
        ("min_items", "contract.payments"),
    ],
    "plan_survey": [
        ("confirmed_in_phase", "MM"),
        ("min_items", "survey.sessions"),
        ("fields_present", None),
        ("min_items", "key_users"),
        ("fields_present", None),
        ("min_items", "survey.team"),
        ("min_items", "survey.outputs"),
    ],
    "start_survey": [("document_signed", "SP")],
    "issue_requirement_memo": [("min_items", "requirements")] * 3,
    "confirm_requirements": [("document_signed", "RM")],
    "plan_deployment": [
        ("confirmed_in_phase", "MM"),
        ("min_items", "deployment.sites"),
        ("fields_present", None),
        ("min_items", "deployment.training"),
        ("min_items", "deployment.steps"),
        ("min_items", "deployment.team"),
        ("min_items", "deployment.milestones"),
        ("fields_present", None),
        ("min_items", "deployment.on_call"),
    ],
    "start_deployment": [
        ("document_signed", "DP"),
        ("fact_true", "deployment.system_test.done"),
        ("fact_true", "deployment.rehearsal.done"),
        ("fact_true", "deployment.backup.done"),
    ],
    "finish_deployment": [
        ("fact_true", "deployment.onsite_test.done"),
        ("all_items", "deployment.training"),
        ("fields_present", None),
    ],
    "request_acceptance": [
        ("confirmed_in_phase", "MM"),
        ("no_overdue_actions", None),
        ("no_open_changes", None),
        ("requirements_delivered", None),
        ("fields_present", None),
        ("min_items", "acceptance.criteria"),
        ("min_items", "acceptance.team"),
        ("min_items", "acceptance.deliverables"),
        ("acceptance_conclusion", None),
    ],
    "reject_acceptance": [("fields_present", None)],
    "accept": [
        ("document_signed", "AC"),
        ("requirements_delivered", None),
        ("acceptance_conclusion", None),
    ],
    "issue_completion_notice": [
        ("confirmed_in_phase", "MM"),
        ("fields_present", None),
        ("min_items", "completion.handover"),
        ("fields_present", None),
    ],
    "propose_maintenance": [
        ("document_signed", "CN"),
        ("fields_present", None),
        ("min_items", "maintenance.service_levels"),
        ("min_items", "maintenance.payments"),
        ("fields_present", None),
    ],
    "start_maintenance": [("document_signed", "MA")],
    "close": [("confirmed_in_phase", "MM")],
}


def _ident(guard: GuardSpec) -> tuple[str, str | None]:
    return guard.type, guard.params.get("path") or guard.params.get("document")


def test_shipped_workflow_passes_checks(tmp_path: Path) -> None:
    """check_workflow finds nothing wrong (guards as the registry knows them, templates present)."""
    spec, lines, label = load_workflow_with_lines("implementation")
    templates = placeholder_templates(tmp_path, spec)
    problems = check_workflow(
        spec, file=label, lines=lines, guard_check=fake_guard_check, template_dirs=[templates]
    )
    assert problems == []


def test_shipped_guards_known_to_the_registry() -> None:
    """The real guard registry accepts every guard of the shipped workflow."""
    guards = pytest.importorskip("docflow.guards")
    check_guard = getattr(guards, "check_guard", None)
    if check_guard is None:
        pytest.skip("docflow.guards has no check_guard")
    spec = load_workflow("implementation")
    messages = [
        (t.trigger, message)
        for t in spec.transitions
        for g in t.guards
        for message in check_guard(g.type, g.params)
    ]
    assert messages == []


def test_transitions_match_design() -> None:
    """Triggers, sources, destinations and emitted documents, in DESIGN.md's order."""
    spec = load_workflow("implementation")
    got = [(t.trigger, t.source, t.dest, t.emits) for t in spec.transitions]
    assert got == TRANSITIONS


@pytest.mark.parametrize("trigger", list(GUARDS), ids=list(GUARDS))
def test_guards_match_design(trigger: str) -> None:
    """Each transition carries the guards of DESIGN.md's summary column."""
    spec = load_workflow("implementation")
    (transition,) = [t for t in spec.transitions if t.trigger == trigger]
    assert [_ident(g) for g in transition.guards] == GUARDS[trigger]


def test_contract_signing_fields() -> None:
    """Signing needs the contract's terms and the client's accountable person."""
    spec = load_workflow("implementation")
    guard = spec.transitions[0].guards[0]
    assert guard.params["paths"] == [
        "contract.number",
        "contract.signed_on",
        "contract.amount",
        "contract.scope",
        "contract.acceptance_terms",
        "contract.change_control_terms",
        "parties.client.accountable_person.name",
    ]


def test_requirement_memo_sections() -> None:
    """Functional, non-functional and (with several subsystems) interface requirements."""
    spec = load_workflow("implementation")
    guards = spec.transition("survey.in_progress", "issue_requirement_memo")
    assert guards is not None
    wheres = [g.params["where"]["type"] for g in guards.guards]
    assert wheres == ["functional", "non_functional", "interface"]
    assert guards.guards[2].params["if_count_at_least"] == {"path": "project.subsystems", "min": 2}
    assert all(
        g.params["require"] == ["id", "title", "priority", "verification"] for g in guards.guards
    )


def test_acceptance_blocks_on_must_and_lists_the_rest() -> None:
    """Undelivered "must" requirements block acceptance; the others need an owner and a date;
    a passing conclusion is refused while a "must" one is undelivered, and accept needs one."""
    spec = load_workflow("implementation")
    for trigger, passing in [("request_acceptance", False), ("accept", True)]:
        (transition,) = [t for t in spec.transitions if t.trigger == trigger]
        by_type = {g.type: g.params for g in transition.guards}
        assert by_type["requirements_delivered"] == {
            "block_priorities": ["must"],
            "require_followup": True,
        }
        assert by_type["acceptance_conclusion"] == ({"require_passing": True} if passing else {})


def test_paid_maintenance_needs_instalments_and_an_account() -> None:
    """Instalments and the payee account are asked for only when maintenance is paid for."""
    spec = load_workflow("implementation")
    (transition,) = [t for t in spec.transitions if t.trigger == "propose_maintenance"]
    conditional = [g.params for g in transition.guards if "if_positive" in g.params]
    assert [p.get("path") or p.get("paths") for p in conditional] == [
        "maintenance.payments",
        ["parties.vendor.bank.bank", "parties.vendor.bank.account"],
    ]
    assert all(p["if_positive"] == "maintenance.fee" for p in conditional)


def test_only_confirmation_freezes_the_baseline() -> None:
    """confirm_requirements, and nothing else, freezes the requirement baseline."""
    spec = load_workflow("implementation")
    assert [t.trigger for t in spec.transitions if t.freezes_baseline] == ["confirm_requirements"]


def test_documents_match_design() -> None:
    """Codes, templates, signers and annex flags of the ten document kinds."""
    spec = load_workflow("implementation")
    got = [(d.code, d.template, d.signers, d.annex) for d in spec.documents.values()]
    assert got == DOCUMENTS
    assert all(set(d.title) == {"zh-CN", "en"} for d in spec.documents.values())


def test_a_document_made_per_period_is_not_titled_for_one_length_of_period() -> None:
    """A report covers whatever period `docflow report` is given (a week, a month, a
    phase): its title says neither 周 nor week."""
    spec = load_workflow("implementation")
    periodic = [d for d in spec.documents.values() if d.per == "period"]
    assert periodic
    for kind in periodic:
        assert "周" not in kind.title["zh-CN"] and "月" not in kind.title["zh-CN"]
        assert not {"week", "weekly", "month", "monthly"} & set(kind.title["en"].lower().split())


def test_states_and_titles() -> None:
    """Fifteen states, each with a phase and both titles; only ``closed`` is final."""
    spec = load_workflow("implementation")
    assert len(spec.states) == 15
    assert [s.id for s in spec.states.values() if s.final] == ["closed"]
    assert all(s.id.startswith(s.phase) or s.final for s in spec.states.values())
    titled = [*spec.states.values(), *spec.transitions]
    assert all(set(item.title) == {"zh-CN", "en"} for item in titled)


def test_change_control() -> None:
    """Changes from the confirmed baseline until acceptance; CA annexes; 20%/50% thresholds."""
    control = load_workflow("implementation").change_control
    assert control.allowed_in == (
        "survey.confirmed",
        "deployment.planned",
        "deployment.in_progress",
        "deployment.done",
        "acceptance.requested",
    )
    assert (control.annex_document, control.warn_ratio, control.alarm_ratio) == ("CA", 0.2, 0.5)


def test_transition_lookup() -> None:
    """transitions_from lists a state's ways out; transition finds one by trigger."""
    spec = load_workflow("implementation")
    out = spec.transitions_from("acceptance.requested")
    assert [t.trigger for t in out] == ["reject_acceptance", "accept"]
    found = spec.transition("acceptance.requested", "accept")
    assert found is not None and found.dest == "acceptance.accepted"
    assert spec.transition("acceptance.requested", "close") is None


def test_find_and_list_workflows(tmp_path: Path) -> None:
    """A shipped name or a file path finds a workflow; list_workflows names the shipped ones."""
    assert "implementation" in list_workflows()
    assert find_workflow("implementation").name == "implementation.yaml"
    copy = tmp_path / "mine.yaml"
    copy.write_bytes(find_workflow("implementation").read_bytes())
    assert find_workflow(str(copy)) == copy
    assert load_workflow(str(copy)).name == "implementation"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("nosuch", "no workflow named 'nosuch' (shipped workflows: implementation"),
        ("missing/flow.yaml", "missing/flow.yaml: workflow file does not exist"),
    ],
    ids=["unknown-name", "missing-path"],
)
def test_find_workflow_refuses(given: str, expected: str) -> None:
    """An unknown name lists the shipped workflows; a missing file is named."""
    with pytest.raises(SpecError) as caught:
        find_workflow(given)
    assert str(caught.value).startswith(expected)


def test_records_of_the_built_in_workflow() -> None:
    """Minutes per meeting, deemed confirmed after three working days; a report per period;
    the survey's five questions; the vendor's overdue action items block acceptance."""
    spec = load_workflow("implementation")
    minutes = spec.documents["MM"]
    assert minutes.per == "meeting"
    assert minutes.deemed_confirmed is not None
    assert (minutes.deemed_confirmed.working_days, minutes.deemed_confirmed.party) == (3, "client")
    assert spec.documents["PR"].per == "period"
    assert spec.satisfaction is not None
    assert spec.satisfaction.document == "CS"
    assert [q.id for q in spec.satisfaction.questions] == [
        "needs",
        "stability",
        "usability",
        "response",
        "communication",
    ]
    (request,) = [t for t in spec.transitions if t.trigger == "request_acceptance"]
    assert {"type": "no_overdue_actions", "party": "vendor"} in [
        {"type": g.type, **g.params} for g in request.guards
    ]
    leaving = [
        t.trigger for t in spec.transitions if any(g.type == "confirmed_in_phase" for g in t.guards)
    ]
    assert leaving == [
        t.trigger
        for t in spec.transitions
        if (spec.states[t.source].phase != spec.states[t.dest].phase or spec.states[t.dest].final)
        and t.trigger != "reject_acceptance"
    ]
