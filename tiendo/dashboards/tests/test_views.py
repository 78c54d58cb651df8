"""Dashboard pages through the real HTTP path: figures, lists, as-of, overrides, XLSX."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tiendo.accounts.models import Role
from tiendo.dashboards.models import ConfidenceOverride
from tiendo.dashboards.summary import summary_rebuild
from tiendo.orgs.models import Unit
from tiendo.programs.models import Task
from tiendo.programs.selectors import today
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_user

from .builders import DAY, add_task, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    on = today()
    add_task(w, group=w.group_1, deadline=on - 9 * DAY)
    add_task(w, group=w.group_1, deadline=on - 9 * DAY, completed_on=on - 10 * DAY)
    add_task(w, group=w.group_2, unit=w.dept_b, deadline=on + 9 * DAY, kind="pilot")
    return w


def _figure_links(html: str) -> list[tuple[str, int]]:
    return [
        (href.replace("&amp;", "&"), int(value))
        for href, value in re.findall(r'<a class="fig" href="([^"]+)"[^>]*>(\d+)</a>', html)
    ]


def test_each_figure_on_the_page_opens_a_list_of_that_many_tasks(client: Client, world) -> None:
    # Given the program dashboard
    client.force_login(world.admin)
    page = client.get(f"/dashboards/programs/{world.program.pk}/")
    assert page.status_code == 200
    links = _figure_links(page.content.decode())
    assert len(links) > 100
    # When a sample of its figures is opened (every distinct kind of cell)
    seen = set()
    for href, value in links:
        kind = re.sub(r"\d", "", href)
        if kind in seen:
            continue
        seen.add(kind)
        listed = client.get(href)
        # Then the list says the same number and shows that many rows
        assert listed.status_code == 200, href
        html = listed.content.decode()
        count = re.search(r'id="figure-count">(\d+)<', html)
        assert count is not None
        assert int(count.group(1)) == value, href
        assert html.count('<td class="title">') == value, href


def test_unit_dashboard_and_its_league(client: Client, world) -> None:
    client.force_login(world.admin)
    page = client.get(f"/dashboards/units/{world.province.pk}/?sort=name")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="league-table"' in html
    assert html.index("Department A") < html.index("Department B")


def test_a_bad_as_of_date_is_refused_with_a_clear_message(client: Client, world) -> None:
    client.force_login(world.admin)
    page = client.get(f"/dashboards/programs/{world.program.pk}/?as_of=31/03/2024")
    assert page.status_code == 400
    assert "is not a date; write it as 2024-03-31" in page.content.decode()
    future = client.get(f"/dashboards/programs/{world.program.pk}/?as_of=2999-01-01")
    assert "cannot be in the future" in future.content.decode()


def test_a_bad_drill_down_query_is_refused(client: Client, world) -> None:
    client.force_login(world.admin)
    page = client.get("/dashboards/list/?bucket=everything&program=x")
    assert page.status_code == 400
    html = page.content.decode()
    assert "Unknown figure" in html
    assert "a whole number" in html


def test_lists_outside_the_scope_are_not_found(client: Client, world) -> None:
    # Given an officer of department B
    officer = make_user(unit=world.dept_b, role=Role.UNIT_OFFICER)
    client.force_login(officer)
    # Then department A's list and dashboard are not found, and their own are
    assert client.get(f"/dashboards/list/?unit={world.dept_a.pk}").status_code == 404
    assert client.get(f"/dashboards/units/{world.dept_a.pk}/").status_code == 404
    own = client.get(f"/dashboards/list/?unit={world.dept_b.pk}")
    assert own.status_code == 200
    assert own.content.decode().count('<td class="title">') == 1


def test_a_leader_overrides_the_rating_and_a_stale_form_is_refused(client: Client, world) -> None:
    # Given the program's standing-office leader on the dashboard
    leader = make_user(unit=world.province, role=Role.COMMITTEE_LEADER)
    client.force_login(leader)
    url = f"/dashboards/programs/{world.program.pk}/"
    form = {
        "target": "program",
        "target_id": world.program.pk,
        "rating": "amber",
        "reason": "Funding for 2025 is not yet approved.",
        "expected_current": "",
        "next": url,
    }
    # When they record an override
    assert client.post("/dashboards/override/", form).status_code == 302
    # Then it is shown beside the computed rating with its reason
    html = client.get(url).content.decode()
    assert "Funding for 2025 is not yet approved." in html
    assert "Leader: Amber" in html
    # And a second leader's form opened before that is refused, writing nothing
    stale = client.post("/dashboards/override/", {**form, "rating": "green"})
    assert stale.status_code == 409
    assert ConfidenceOverride.objects.count() == 1


def test_an_officer_cannot_override(client: Client, world) -> None:
    officer = make_user(unit=world.province, role=Role.UNIT_OFFICER)
    client.force_login(officer)
    form = {"target": "unit", "target_id": world.province.pk, "rating": "red", "reason": "x"}
    assert client.post("/dashboards/override/", form).status_code == 403
    assert not ConfidenceOverride.objects.exists()


def test_an_override_needs_a_reason(client: Client, world) -> None:
    client.force_login(world.admin)
    form = {"target": "program", "target_id": world.program.pk, "rating": "red", "reason": " "}
    response = client.post("/dashboards/override/", form)
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()


def test_xlsx_export_has_the_same_figures(client: Client, world) -> None:
    client.force_login(world.admin)
    response = client.get(f"/dashboards/programs/{world.program.pk}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    overview = list(book["Overview"].iter_rows(values_only=True))
    header, row = overview[0], overview[1]
    values = dict(zip(header, row, strict=True))
    assert values["Assigned"] == 3
    assert values["Overdue"] == 1
    assert values["Completed on time"] == 1
    assert [r[0].strip() for r in list(book["Task groups"].iter_rows(values_only=True))[1:]] == [
        "I. Digital government",
        "Services",
        "II. Digital economy",
    ]


def test_pages_render_in_vietnamese(client: Client, world) -> None:
    client.force_login(world.admin)
    client.cookies["django_language"] = "vi"
    html = client.get(f"/dashboards/programs/{world.program.pk}/").content.decode()
    assert "Quá hạn" in html
    assert "Mức độ tin cậy" in html


def test_pages_issue_a_fixed_number_of_queries(client: Client, world) -> None:
    # Given the pages of a small program
    client.force_login(world.admin)
    urls = [
        f"/dashboards/programs/{world.program.pk}/",
        f"/dashboards/units/{world.province.pk}/",
        f"/dashboards/list/?program={world.program.pk}&bucket=total",
    ]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = [queries(url) for url in urls]
    # When the program grows
    for _ in range(10):
        add_task(world, group=world.subgroup, unit=world.district, kind="project")
    # Then each page issues the same number of queries
    assert [queries(url) for url in urls] == small
    assert max(small) <= 14


def _without_csrf(html: str) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _figure(html: str, href: str) -> int:
    values = [value for link, value in _figure_links(html) if link == href]
    assert len(values) == 1, (href, values)
    return values[0]


def test_a_kept_rendering_never_outlives_a_changed_figure(client: Client, world) -> None:
    # Given a unit dashboard read from the summary tables, shown twice (the second time its
    # figures' sections come from the kept rendering)
    summary_rebuild()
    client.force_login(world.admin)
    url = f"/dashboards/units/{world.province.pk}/"
    first = client.get(url).content.decode()
    assert _without_csrf(client.get(url).content.decode()) == _without_csrf(first)
    overdue = f"/dashboards/list/?bucket=overdue&unit={world.dept_a.pk}"
    late = f"/dashboards/list/?bucket=completed&unit={world.dept_a.pk}"
    assert (_figure(first, overdue), _figure(first, late)) == (1, 1)
    # When Department A completes its overdue task (the tables change in the same transaction)
    task = Task.objects.get(lead_unit=world.dept_a, completed_on__isnull=True)
    progress_submit(actor=world.person, task=task, as_of=today(), percent=100)
    # Then the next showing has the new figures, as the drill-down list does
    after = client.get(url).content.decode()
    assert (_figure(after, overdue), _figure(after, late)) == (0, 2)
    listed = client.get(late).content.decode()
    assert re.search(r'id="figure-count">2<', listed)
    # And a renamed unit is shown by its new name (names are part of what is kept)
    Unit.objects.filter(pk=world.dept_a.pk).update(name="Sở Thông tin và Truyền thông")
    assert "Sở Thông tin và Truyền thông" in client.get(url).content.decode()


def test_kept_renderings_are_per_language(client: Client, world) -> None:
    # Given the same dashboard shown in English and then in Vietnamese
    client.force_login(world.admin)
    url = f"/dashboards/units/{world.province.pk}/"
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "vi"
    vietnamese = client.get(url).content.decode()
    # Then each has its own language in the kept sections too
    assert "Deadlines in the coming weeks" in english
    assert "Thời hạn trong các tuần tới" in vietnamese
    assert "Deadlines in the coming weeks" not in vietnamese


def test_the_league_shows_each_units_override_beside_its_rating(client: Client, world) -> None:
    # Given a committee leader's override of Department A, and the tables built
    leader = make_user(unit=world.province, role=Role.COMMITTEE_LEADER)
    client.force_login(leader)
    url = f"/dashboards/units/{world.province.pk}/"
    form = {
        "target": "unit",
        "target_id": world.dept_a.pk,
        "rating": "red",
        "reason": "Staff <left> & not replaced",
        "expected_current": "",
        "next": url,
    }
    assert client.post("/dashboards/override/", form).status_code == 302
    summary_rebuild()
    # When the province's dashboard is shown
    html = client.get(url).content.decode()
    # Then Department A's league row carries the override, its reason escaped
    league = html[html.index('id="league-table"') :]
    row_a = league[league.index("Department A") :]
    row_a = row_a[: row_a.index("</tr>")]
    assert "Leader: Red" in row_a
    assert 'title="Staff &lt;left&gt; &amp; not replaced"' in row_a
    row_b = league[league.index("Department B") :]
    assert "Leader:" not in row_b[: row_b.index("</tr>")]
