"""The status rule: the SQL expression agrees with the Python reference on any facts."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.programs.models import Task
from tiendo.programs.status import (
    StatusFacts,
    TaskStatus,
    derive_status,
    status_expression,
    status_q,
)

from .factories import make_program, make_task, make_unit

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
facts_strategy = st.builds(
    StatusFacts,
    assigned=st.booleans(),
    hold_state=st.sampled_from(["", "paused", "cancelled"]),
    deadline=st.none() | dates,
    started_on=st.none() | dates,
    completed_on=st.none() | dates,
)


@given(facts=facts_strategy, today=dates)
def test_completed_task_is_never_overdue(facts: StatusFacts, today: dt.date) -> None:
    status = derive_status(facts, today)
    if facts.assigned and not facts.hold_state and facts.completed_on:
        assert status in (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE)


@given(facts=facts_strategy, today=dates)
def test_ongoing_task_is_never_overdue_or_late(facts: StatusFacts, today: dt.date) -> None:
    ongoing = StatusFacts(**{**facts.__dict__, "deadline": None})
    assert derive_status(ongoing, today) not in (TaskStatus.OVERDUE, TaskStatus.COMPLETED_LATE)


@given(facts=facts_strategy, today=dates, later=st.integers(min_value=0, max_value=400))
def test_time_only_moves_open_tasks_towards_overdue(
    facts: StatusFacts, today: dt.date, later: int
) -> None:
    before = derive_status(facts, today)
    after = derive_status(facts, today + dt.timedelta(days=later))
    if before != after:
        assert after == TaskStatus.OVERDUE
        assert before in (TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(facts_strategy, min_size=1, max_size=12), today=dates)
def test_database_status_matches_reference(rows: list[StatusFacts], today: dt.date) -> None:
    # Given tasks whose facts are written straight into their columns
    unit = make_unit()
    program = make_program(owner=unit)
    ids = []
    for facts in rows:
        task = make_task(program=program, lead_unit=unit, assign=False)
        Task.objects.filter(pk=task.pk).update(
            assigned_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC) if facts.assigned else None,
            hold_state=facts.hold_state,
            deadline_kind="date" if facts.deadline else "ongoing",
            deadline=facts.deadline,
            started_on=facts.started_on,
            completed_on=facts.completed_on,
        )
        ids.append(task.pk)
    # When the database derives the status, and each status filter selects its tasks
    derived = dict(
        Task.objects.filter(pk__in=ids).annotate(s=status_expression(today)).values_list("pk", "s")
    )
    # Then both agree with the reference rule
    expected = {pk: derive_status(f, today).value for pk, f in zip(ids, rows, strict=True)}
    assert derived == expected
    for status in TaskStatus:
        selected = set(
            Task.objects.filter(pk__in=ids)
            .filter(status_q(status, today))
            .values_list("pk", flat=True)
        )
        assert selected == {pk for pk, s in expected.items() if s == status}
