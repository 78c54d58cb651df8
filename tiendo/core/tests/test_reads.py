"""Several reads in one round trip; instances built from them as the ORM builds them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiendo.core.reads import ModelColumns, run_reads
from tiendo.dashboards.models import SummaryState
from tiendo.orgs.models import Unit
from tiendo.programs.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_statements_give_their_rows_in_order() -> None:
    # Given two units
    a, b = make_unit("A"), make_unit("B")
    statements = [
        ("SELECT id FROM orgs_unit WHERE id = %s", [a.pk]),
        ("SELECT id FROM orgs_unit WHERE id IN (%s, %s) ORDER BY id", [a.pk, b.pk]),
        ("SELECT id FROM orgs_unit WHERE id = %s", [0]),
    ]
    # When they are read together
    with CaptureQueriesContext(connection) as captured:
        rows = run_reads(statements)
    # Then each statement has its rows, in one query on PostgreSQL
    assert rows == [[(a.pk,)], [(a.pk,), (b.pk,)], []]
    assert len(captured) == (1 if connection.vendor == "postgresql" else 3)


def test_a_failed_first_test_stops_the_others_where_they_run_one_by_one() -> None:
    a = make_unit("A")
    statements = [("SELECT id FROM orgs_unit WHERE id = %s", [0])] + [
        ("SELECT id FROM orgs_unit WHERE id = %s", [a.pk])
    ] * 3
    with CaptureQueriesContext(connection) as captured:
        rows = run_reads(statements, proceed=bool)
    assert rows[0] == []
    assert len(captured) == 1
    if connection.vendor != "postgresql":
        assert len(rows) == 1


def test_instances_are_built_as_the_orm_builds_them() -> None:
    # Given a unit and a state row with a date and an aware datetime
    unit = make_unit("Sở Thông tin")
    SummaryState.objects.create(pk=1, day=dt.date(2026, 3, 31), rebuilt_at=timezone.now(), tasks=7)
    units = ModelColumns(Unit, "u", ("name", "path"))
    states = ModelColumns(SummaryState, "s")
    (unit_rows, state_rows) = run_reads(
        [
            (f"SELECT {units.sql} FROM orgs_unit u WHERE u.id = %s", [unit.pk]),  # noqa: S608
            (f"SELECT {states.sql} FROM dashboards_summarystate s", []),  # noqa: S608
        ]
    )
    # Then the values are those the ORM reads, other fields deferred
    built = units.build(unit_rows[0])
    assert (built.pk, built.name, built.path) == (unit.pk, unit.name, unit.path)
    assert built.get_deferred_fields() >= {"code", "kind"}
    state = states.build(state_rows[0])
    orm = SummaryState.objects.get(pk=1)
    assert (state.day, state.rebuilt_at, state.tasks) == (orm.day, orm.rebuilt_at, 7)
    assert timezone.is_aware(state.rebuilt_at)
