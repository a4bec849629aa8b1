"""Moving a running project to another version of its workflow: ``docflow workflow upgrade``.

The move is allowed when it changes nothing the project has done already:

- the current state exists in the new workflow (and is final there only if it was final);
- every document kind issued so far exists with the same signers, annex flag and item kind
  (``per``), so issued documents keep their kinds and awaited signatures stay the same;
- change control keeps its annex kind once change requests exist, and the project's locale
  and ``extra:`` data still fit.

Guards of steps already taken do not matter: they were checked when the steps were taken.
Guards of the steps ahead are the new workflow's from now on. Anything else is refused with
every reason; the move is recorded in the log as ``workflow.upgraded``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import Conflict
from docflow.runtime.lang import say
from docflow.runtime.result import Result
from docflow.runtime.session import Session, load_spec
from docflow.runtime.workspace import atomic_write
from docflow.spec.workflow import WorkflowSpec

__all__ = ["WorkflowUpgrade", "compatibility", "upgrade_workflow"]


@dataclass(frozen=True)
class WorkflowUpgrade(Result):
    """A workflow move: from what to what, whether it was made, and why not."""

    project: str
    from_workflow: str
    to_workflow: str
    state: str
    dry_run: bool
    upgraded: bool
    reasons: tuple[str, ...] = ()
    sha256: str = ""


def compatibility(session: Session, new: WorkflowSpec) -> list[str]:
    """Every reason the project cannot move to ``new`` (empty: it can)."""
    old, loc = session.spec, session.locale
    reasons = []
    state = session.row.state
    if state not in new.states:
        reasons.append(
            say(
                loc,
                f"当前状态 {state} 在新工作流中不存在",
                f"the current state {state} does not exist in the new workflow",
            )
        )
    elif new.states[state].final and not old.states[state].final:
        reasons.append(say(loc, f"状态 {state} 在新工作流中是终态", f"{state} is final there"))
    for code in sorted({d.code for d in session.all_documents}):
        was, now = old.documents.get(code), new.documents.get(code)
        if now is None:
            reasons.append(
                say(
                    loc,
                    f"已出具的文件类型 {code} 在新工作流中不存在",
                    f"document kind {code}, issued already, does not exist in the new workflow",
                )
            )
            continue
        if was is None:
            continue
        for attr in ("signers", "annex", "per"):
            if getattr(was, attr) != getattr(now, attr):
                reasons.append(
                    say(
                        loc,
                        f"已出具的文件类型 {code} 的 {attr} 由 {getattr(was, attr)} 变为 "
                        f"{getattr(now, attr)}",
                        f"document kind {code}, issued already, changes its {attr} from "
                        f"{getattr(was, attr)} to {getattr(now, attr)}",
                    )
                )
    control = old.change_control.annex_document
    if session.ledger.changes and new.change_control.annex_document != control:
        reasons.append(
            say(
                loc,
                f"已有变更申请，变更附件类型不能由 {control} 改为 "
                f"{new.change_control.annex_document or '无'}",
                f"change requests exist: the change annex kind cannot change from {control} "
                f"to {new.change_control.annex_document or 'none'}",
            )
        )
    if session.locale not in new.locales:
        reasons.append(
            say(
                loc,
                f"新工作流不支持语言 {session.locale}",
                f"the new workflow has no documents in {session.locale}",
            )
        )
    if session.data.extra or new.data_schema:
        from docflow.spec.extra import extra_problems

        for problem in extra_problems(new.data_schema, session.data.extra, "project.yaml", None):
            reasons.append(f"{problem.path}: {problem.message}")
    return reasons


def _target(session: Session, to: str | None) -> str:
    if to is None:
        return session.row.workflow
    path = Path(to)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return str(path.resolve())
    return to


def upgrade_workflow(
    session: Session, to: str | None = None, *, dry_run: bool = False
) -> WorkflowUpgrade:
    """Move the project to workflow ``to`` (default: its own definition as it reads now)."""
    from docflow.spec.loader import find_workflow

    workspace = session.folder("upgrading the workflow")
    target = _target(session, to)
    new = load_spec(target, workspace.template_dirs())
    digest = hashlib.sha256(find_workflow(target).read_bytes()).hexdigest()
    reasons = compatibility(session, new)
    result = WorkflowUpgrade(
        session.code,
        session.row.workflow,
        target,
        session.row.state,
        dry_run,
        upgraded=False,
        reasons=tuple(reasons),
        sha256=digest,
    )
    if reasons:
        if dry_run:
            return result
        raise Conflict(
            say(
                session.locale,
                f"不能把项目 {session.code} 迁移到工作流 {new.name}：" + "；".join(reasons),
                f"project {session.code} cannot move to workflow {new.name}: " + "; ".join(reasons),
            )
        )
    if dry_run:
        return result
    with session.store.write(session.code, session.row.version) as tx:
        tx.set_workflow(target)
        tx.append_event(
            "workflow.upgraded",
            session.actor,
            {
                "from": session.row.workflow,
                "to": target,
                "name": new.name,
                "sha256": digest,
                "state": session.row.state,
            },
        )
    _rewrite_workflow_line(workspace.project_file, target)
    return WorkflowUpgrade(
        session.code, session.row.workflow, target, session.row.state, False, True, (), digest
    )


def _rewrite_workflow_line(path: Path, target: str) -> None:
    """project.yaml's ``workflow:`` line names the new definition (comments kept)."""
    text = path.read_text(encoding="utf-8")
    line = f"workflow: {target}"
    if re.search(r"^workflow:.*$", text, flags=re.MULTILINE):
        text = re.sub(r"^workflow:.*$", lambda _m: line, text, count=1, flags=re.MULTILINE)
    else:
        text = f"{line}\n{text}"
    atomic_write(path, text.encode("utf-8"))
