"""The task list's rows (``{% task_rows %}``, written in Python for speed): what each cell
shows, escaped, translated, and read with a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tiendo.accounts.models import Role
from tiendo.core.deadlines import DeadlineKind
from tiendo.programs.models import TaskKind
from tiendo.programs.services import group_create, task_extend_deadline

from .factories import make_admin, make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db


def _row(html: str, task_id: int) -> str:
    start = html.index(f'<tr data-task-id="{task_id}">')
    return html[start : html.index("</tr>", start)]


def test_each_row_shows_the_five_clears_escaped_and_translated(settings) -> None:
    settings.LANGUAGE_CODE = "vi"
    admin = make_admin()
    province = make_unit("Tỉnh A", kind="province")
    program = make_program(owner=province, code="CDS-A", actor=admin)
    group = group_create(actor=admin, program=program, name="Chính quyền số", number="II")
    pilot = make_task(
        program=program,
        lead_unit=province,
        group=group,
        kind=TaskKind.PILOT,
        title="<script>alert(1)</script> Mô hình điểm",
        number="2.1",
    )
    task_extend_deadline(
        actor=admin,
        task=pilot,
        version=pilot.version,
        deadline_kind=DeadlineKind.QUARTER,
        deadline=dt.date(2031, 3, 31),
        reason="Chờ vốn",
    )
    plain = make_task(program=program, lead_unit=province, title="Nhiệm vụ thường")
    leader = make_user(unit=province, role=Role.COMMITTEE_LEADER)
    client = Client()
    client.force_login(leader)

    with translation.override("vi"):
        html = client.get(reverse("programs:task_list"), HTTP_ACCEPT_LANGUAGE="vi").content
    page = html.decode()

    row = _row(page, pilot.pk)
    assert f'<a href="{reverse("programs:task_detail", args=[pilot.pk])}">' in row
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mô hình điểm" in row
    assert "<script>alert" not in page
    assert '<td class="nowrap">2.1</td>' in row
    assert "CDS-A · II. Chính quyền số · Mô hình điểm" in row  # program, group, kind
    assert "Tỉnh A" in row
    assert pilot.assignee.display_name in row
    assert "Quý I/2031" in row
    assert "(đã gia hạn)" in row
    assert 'aria-label="Tiến độ"' in row
    assert '<span class="label">–</span>' in row
    assert 'data-status="not_started"' in row

    other = _row(page, plain.pk)
    assert "CDS-A</div>" in other  # no group, an ordinary task: the program only
    assert "đã gia hạn" not in other


def test_rows_take_no_query_of_their_own() -> None:
    """Every cell comes from the one list query (``TABLE_COLUMNS``): twenty rows or two, the
    page takes the same queries."""
    province = make_unit("Tỉnh B", kind="province")
    program = make_program(owner=province)
    leader = make_user(unit=province, role=Role.COMMITTEE_LEADER)
    client = Client()
    client.force_login(leader)
    url = reverse("programs:task_list")
    counts = []
    for n in (2, 18):
        for _ in range(n):
            make_task(program=program, lead_unit=province)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
