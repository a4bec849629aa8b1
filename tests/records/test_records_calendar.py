"""Working days: weekends, holidays, worked weekend days, and the deadline of a deemed
confirmation counted from the day a document was issued."""

from __future__ import annotations

import datetime as dt

import pytest

from docflow.errors import SpecError
from docflow.records.calendar import WorkCalendar
from docflow.spec.records import CalendarSpec

D = dt.date
CHINA_2026 = WorkCalendar.of(
    CalendarSpec(
        holidays=(D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 7)),
        workdays=(D(2026, 9, 20), D(2026, 10, 10)),
    )
)


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        pytest.param(D(2026, 4, 9), 3, D(2026, 4, 14), id="thursday-over-a-weekend"),
        pytest.param(D(2026, 4, 10), 1, D(2026, 4, 13), id="friday-to-monday"),
        pytest.param(D(2026, 4, 11), 1, D(2026, 4, 13), id="issued-on-saturday"),
        pytest.param(D(2026, 4, 6), 5, D(2026, 4, 13), id="monday-plus-a-week"),
    ],
)
def test_weekends_do_not_count(start: dt.date, days: int, deadline: dt.date) -> None:
    assert WorkCalendar().add(start, days) == deadline


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        pytest.param(D(2026, 9, 18), 1, D(2026, 9, 20), id="worked-sunday-counts"),
        pytest.param(D(2026, 9, 30), 1, D(2026, 10, 8), id="national-day-holidays-skipped"),
        pytest.param(D(2026, 9, 30), 3, D(2026, 10, 10), id="worked-saturday-after-holidays"),
    ],
)
def test_holidays_and_worked_weekend_days(start: dt.date, days: int, deadline: dt.date) -> None:
    assert CHINA_2026.add(start, days) == deadline
    assert CHINA_2026.between(start, deadline) == days


def test_project_days_join_the_workflow_calendar() -> None:
    workflow = CalendarSpec(holidays=(D(2026, 5, 1),))
    project = CalendarSpec(holidays=(D(2026, 5, 4),), workdays=(D(2026, 5, 9),))
    calendar = WorkCalendar.of(workflow, project)
    assert not calendar.is_workday(D(2026, 5, 1)) and not calendar.is_workday(D(2026, 5, 4))
    assert calendar.is_workday(D(2026, 5, 9))
    assert calendar.add(D(2026, 4, 30), 2) == D(2026, 5, 6)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param(
            {"holidays": ["2026-10-10"], "workdays": ["2026-10-10"]},
            "both as a holiday and a workday",
            id="holiday-and-workday",
        ),
        pytest.param({"weekend": [0]}, "ISO weekdays 1 to 7", id="bad-weekday"),
    ],
)
def test_contradicting_calendars_are_refused(spec: dict[str, object], message: str) -> None:
    from docflow.spec.loader import parse_project

    text = "calendar:\n" + "".join(f"  {k}: {v}\n" for k, v in spec.items()).replace("'", "")
    with pytest.raises(SpecError, match=message) as caught:
        parse_project(text, "project.yaml")
    assert caught.value.problems[0].line == 1
