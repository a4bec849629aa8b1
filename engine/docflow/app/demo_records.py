"""What the demo records beside the steps: the example's meetings, a progress report and the
satisfaction survey's answers, each in the state ``examples/<workflow>.demo.yaml`` names.

The script is data, like the workflow: the engine names no state. Each action runs once, the
first time the project is in its state; a file it names is read from the workspace's
``records/`` folder, where ``docflow init --example`` put the example's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow.resources import data_path
from docflow.runtime.clock import on_day, today
from docflow.runtime.session import Session
from docflow.runtime.workspace import Workspace

__all__ = ["DemoRecords"]


@dataclass
class DemoRecords:
    """The demo's script and which of its actions have run."""

    folder: Path
    actions: list[dict[str, Any]]
    say: Callable[[str], None]
    days: dict[str, dt.date] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)

    def day_of(self, trigger: str) -> dt.date | None:
        """The day of the story the step ``trigger`` is taken on (None: today)."""
        return self.days.get(trigger)

    @property
    def last_day(self) -> dt.date | None:
        """The story's last day: the last signatures are made then."""
        return max(self.days.values(), default=None)

    @classmethod
    def load(
        cls, ws: Workspace, workflow: str, locale: str, say: Callable[[str], None]
    ) -> DemoRecords:
        """The script of ``workflow`` (none when the workflow has no demo script)."""
        from docflow.spec.loader import load_yaml_text

        path = data_path("workflows") / "examples" / f"{workflow}.demo.yaml"
        entries: list[dict[str, Any]] = []
        if path.is_file():
            data, _lines = load_yaml_text(path.read_text("utf-8"), path.name)
            entries = [a for a in data or [] if isinstance(a, dict)]
        days = {
            str(e["step"]): e["date"]
            for e in entries
            if "step" in e and isinstance(e.get("date"), dt.date)
        }
        actions = [e for e in entries if "state" in e]
        return cls(ws.root / "records", actions, say, days)

    def play(self, session: Session) -> None:
        """Run the actions of the session's state that have not run yet."""
        for index, action in enumerate(self.actions):
            if index in self.done or action.get("state") != session.row.state:
                continue
            self.done.add(index)
            day = action.get("date")
            with on_day(day if isinstance(day, dt.date) else None):
                self._run(session, action)
            session = session.refreshed()

    def _run(self, session: Session, action: dict[str, Any]) -> None:
        from docflow.spec.minutes import MinutesSpec, ScoresSpec, parse_record_file

        if "meeting" in action:
            from docflow.records.meetings import record_meeting

            minutes = parse_record_file(MinutesSpec, self.folder / str(action["meeting"]))
            if minutes.spec.date > today():
                # A demo run on a day before the example's meeting holds it that day instead:
                # minutes never record a meeting still to come.
                from docflow.spec.minutes import RecordFile

                held = minutes.spec.model_copy(update={"date": today()})
                minutes = RecordFile(held, minutes.file, minutes.lines)
            view = record_meeting(session, minutes)
            self.say(f"  recorded the meeting of {view.date} ({view.title}): issued {view.id}")
        elif "report" in action:
            from docflow.records.reports import issue_report, parse_period

            spec = action["report"] or {}
            start = spec.get("from")
            end = spec.get("to") or today()
            if not isinstance(start, dt.date) or start > end:
                period = parse_period(None, None, None)
            else:
                period = parse_period(None, start, end)
            report = issue_report(session, period)
            self.say(f"  reported on {period.key}: issued {report.id}")
        elif "satisfaction" in action:
            from docflow.records.satisfaction import record_satisfaction

            scores = parse_record_file(ScoresSpec, self.folder / str(action["satisfaction"]))
            answers = record_satisfaction(session, scores)
            self.say(f"  recorded the survey's answers: {answers.document}, {answers.average}")
