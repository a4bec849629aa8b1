"""Each workflow defect is a small YAML fixture; validation names it by file, line and path."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_helpers import WORKFLOW_FIXTURES, fake_guard_check

from docflow.errors import SpecError
from docflow.spec.checks import check_workflow, validate_workflow_file
from docflow.spec.loader import load_workflow_with_lines

CASES = [
    ("unknown_dest", "unknown_dest.yaml:13: transitions[0].dest: unknown state 'nowhere'"),
    ("unknown_source", "unknown_source.yaml:20: transitions[1].source: unknown state 'reviw'"),
    (
        "unknown_initial",
        "unknown_initial.yaml:5: initial: initial state 'start' is not a declared state",
    ),
    (
        "unreachable_state",
        "unreachable_state.yaml:9: states.limbo: state 'limbo' cannot be reached from 'draft'",
    ),
    (
        "dead_end",
        "dead_end.yaml:9: states.parked: state 'parked' has no transition out and is not "
        "marked final: true",
    ),
    (
        "final_with_out",
        "final_with_out.yaml:9: states.done: final state 'done' has transitions out (reopen)",
    ),
    (
        "duplicate_trigger",
        "duplicate_trigger.yaml:27: transitions[2].trigger: trigger 'submit' leaves 'draft' "
        "twice (also transitions[0])",
    ),
    (
        "unknown_document",
        "unknown_document.yaml:18: transitions[0].emits[1]: emits unknown document 'XX'",
    ),
    (
        "allowed_in_unknown",
        "allowed_in_unknown.yaml:31: change_control.allowed_in[1]: unknown state 'shipped'",
    ),
    (
        "annex_document_unknown",
        "annex_document_unknown.yaml:32: change_control.annex_document: annex_document 'CX' "
        "is not a declared document",
    ),
    (
        "alarm_below_warn",
        "alarm_below_warn.yaml:34: change_control.alarm_ratio: alarm_ratio 0.2 is below "
        "warn_ratio 0.5",
    ),
    (
        "missing_template",
        "missing_template.yaml:28: documents.NT.template: template 'en/notice.html.j2' for "
        "document NT is missing (searched ",
    ),
    (
        "trigger_not_identifier",
        "trigger_not_identifier.yaml:11: transitions[0].trigger: trigger 'submit-now' is not "
        "an identifier (letters, digits, _)",
    ),
    (
        "unknown_guard_type",
        "unknown_guard_type.yaml:16: transitions[0].guards[0]: unknown guard type 'field_present'",
    ),
    (
        "bad_guard_param",
        "bad_guard_param.yaml:16: transitions[0].guards[0]: guard 'fields_present' takes no "
        "parameter 'path'",
    ),
    (
        "title_missing_locale",
        "title_missing_locale.yaml:8: states.review.title: title has no text for en",
    ),
    # Structure errors come from the model, located the same way.
    (
        "unknown_key",
        "unknown_key.yaml:7: states.draft: unknown field 'phaze' (did you mean 'phase'?)",
    ),
    ("missing_field", "missing_field.yaml:11: transitions[0]: missing required field 'dest'"),
    (
        "wrong_type",
        "wrong_type.yaml:9: states.done.final: must be true or false, not 'maybe'",
    ),
    (
        "id_mismatch",
        "id_mismatch.yaml:6: states: state 'draft' declares a different id 'drafting'",
    ),
    ("bad_signer", "bad_signer.yaml:28: documents.NT.signers[0]: must be one of client, vendor"),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[case[0] for case in CASES])
def test_workflow_defect_is_reported(name: str, expected: str, fixture_templates: Path) -> None:
    """Validating the fixture raises one SpecError that lists the expected problem."""
    with pytest.raises(SpecError) as caught:
        validate_workflow_file(
            WORKFLOW_FIXTURES / f"{name}.yaml", fake_guard_check, [fixture_templates]
        )
    reported = str(caught.value).splitlines()
    assert any(line.startswith(expected) for line in reported), reported


def test_every_fixture_has_a_case() -> None:
    """No defect fixture lies around untested."""
    names = {path.stem for path in WORKFLOW_FIXTURES.glob("*.yaml")} - {"valid"}
    assert names == {name for name, _ in CASES}


def test_valid_fixture_passes(fixture_templates: Path) -> None:
    """The base that every defect fixture varies is itself sound."""
    spec = validate_workflow_file(
        WORKFLOW_FIXTURES / "valid.yaml", fake_guard_check, [fixture_templates]
    )
    assert spec.name == "mini"


def test_problems_are_all_collected(fixture_templates: Path) -> None:
    """One bad destination yields its own problem and the unreachable states it causes."""
    spec, lines, label = load_workflow_with_lines(str(WORKFLOW_FIXTURES / "unknown_dest.yaml"))
    problems = check_workflow(
        spec, file=label, lines=lines, guard_check=None, template_dirs=[fixture_templates]
    )
    assert [p.path for p in problems] == ["states.review", "states.done", "transitions[0].dest"]


def test_template_found_in_a_later_dir(tmp_path: Path, fixture_templates: Path) -> None:
    """Template dirs are searched in order; a template in any of them is enough."""
    empty = tmp_path / "empty"
    empty.mkdir()
    spec = validate_workflow_file(
        WORKFLOW_FIXTURES / "valid.yaml", None, [empty, fixture_templates]
    )
    assert set(spec.documents) == {"NT", "AX"}


@pytest.mark.parametrize(
    "name",
    ["trigger_to_prefix", "trigger_reserved", "trigger_may_prefix", "trigger_keyword"],
    ids=["to_prefix", "trigger", "may_prefix", "keyword"],
)
def test_any_plain_word_is_a_trigger(name: str, fixture_templates: Path) -> None:
    """No state-machine library reserves names in the workflow language."""
    path = WORKFLOW_FIXTURES / "accepted" / f"{name}.yaml"
    spec = validate_workflow_file(path, fake_guard_check, [fixture_templates])
    assert spec.transitions[0].trigger in ("to_review", "trigger", "may_submit", "class")
