"""The program dashboard shows reporting discipline: reporting's figure, opening its lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tiendo.dashboards.selectors import program_dashboard
from tiendo.orgs.scope import scope_for
from tiendo.programs.tests.factories import make_unit
from tiendo.reporting.selectors import DisciplineStatus as S
from tiendo.reporting.tests.builders import make_world, open_q1
from tiendo.reporting.tests.test_selectors import _send

pytestmark = pytest.mark.django_db


def test_the_program_dashboard_shows_the_discipline_of_the_latest_due_period() -> None:
    # Given Q1 2025 due on 8 April: A on time, B late, C silent
    w = make_world()
    dept_c = make_unit("Department C", parent=w.province)
    w.schedule.units.add(dept_c)
    period = open_q1(w)
    _send(w, period, w.dept_a, w.officer_a, dt.date(2025, 4, 8))
    _send(w, period, w.dept_b, w.officer_b, dt.date(2025, 4, 9))
    scope = scope_for(w.office)
    # When the program dashboard is shown today and as of 8 April (the due day)
    board = program_dashboard(scope, w.program.pk)
    before = program_dashboard(scope, w.program.pk, as_of=dt.date(2025, 4, 8))
    earlier = program_dashboard(scope, w.program.pk, as_of=dt.date(2025, 3, 1))
    # Then it has the period's counts, each the length of its list
    d = board.discipline
    assert d.period == period
    assert d.counts == {S.ON_TIME: 1, S.LATE: 1, S.MISSING: 1, S.NOT_DUE: 0}
    assert before.discipline.counts == {S.ON_TIME: 1, S.LATE: 0, S.MISSING: 0, S.NOT_DUE: 2}
    assert earlier.discipline is None  # nothing was due yet
    # And the page links each count to the period page's list of the same units
    client = Client()
    client.force_login(w.office)
    page = client.get(reverse("dashboards:program", args=[w.program.pk])).content.decode()
    for status, n in d.counts.items():
        url = f"{reverse('reporting:period', args=[period.pk])}?status={status}"
        assert f'href="{url}">{n}</a>' in page, url
        listed = client.get(url).context["rows"]
        assert len(listed) == n
