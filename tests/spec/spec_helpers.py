"""Helpers of the spec tests: a guard checker standing in for the registry, template dirs."""

from __future__ import annotations

from pathlib import Path

from docflow.spec.workflow import GuardSpec, WorkflowSpec

HERE = Path(__file__).parent
WORKFLOW_FIXTURES = HERE / "workflows"

#: The guard types the runtime's registry implements, with the parameters each accepts.
GUARD_PARAMS: dict[str, set[str]] = {
    "fields_present": {"paths", "if_positive"},
    "min_items": {"path", "min", "where", "require", "if_count_at_least", "if_positive"},
    "all_items": {"path", "field", "where"},
    "fact_true": {"path"},
    "document_signed": {"document", "parties"},
    "no_open_changes": set(),
    "requirements_delivered": {"block_priorities", "require_followup", "open_items_path"},
    "acceptance_conclusion": {"path", "passing", "require_passing", "delivered_priorities"},
    "confirmed_in_phase": {"document"},
    "no_overdue_actions": {"party"},
    "satisfaction_recorded": {"min_average"},
}


def fake_guard_check(guard: GuardSpec) -> list[str]:
    """Accept the built-in guard types with their documented parameters only."""
    if guard.type not in GUARD_PARAMS:
        return [f"unknown guard type '{guard.type}'"]
    extra = sorted(set(guard.params) - GUARD_PARAMS[guard.type])
    return [f"guard '{guard.type}' takes no parameter '{name}'" for name in extra]


def placeholder_templates(root: Path, spec: WorkflowSpec) -> Path:
    """Create an empty ``<locale>/<template>.html.j2`` for every document and locale."""
    for locale in spec.locales:
        (root / locale).mkdir(parents=True, exist_ok=True)
        for doc in spec.documents.values():
            (root / locale / f"{doc.template}.html.j2").write_text("", encoding="utf-8")
    return root
