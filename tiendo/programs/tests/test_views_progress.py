"""Reporting progress through the task page, and downloading its evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from tiendo.accounts.models import Role
from tiendo.programs.models import Evidence, ProgressUpdate
from tiendo.programs.services import progress_submit

from .factories import make_user
from .test_views import World, build_world, client_for


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    # The test client leaves the last request's language active in this thread: put the
    # default back so that later tests (in any module) do not run in Vietnamese by accident.
    yield
    translation.deactivate()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# An executable renamed to .pdf: judged by its bytes, not by its name.
FAKE_PDF = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _report(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "as_of": timezone.localdate().isoformat(),
        "percent": "40",
        "achieved_quantity": "8",
        "narrative": "Đã số hóa 8 dịch vụ",
        "difficulties": "Thiếu kinh phí",
        "proposals": "Bổ sung kinh phí",
    }
    data.update(overrides)
    return data


def test_report_with_files_over_htmx_updates_timeline_and_status(world: World) -> None:
    # given the assignee on a task that has not started
    client = client_for(world.officer)
    url = reverse("programs:progress_submit", args=[world.task.pk])
    files = [
        SimpleUploadedFile("Biên bản nghiệm thu.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("notes.txt", "Ghi chú".encode(), content_type="text/plain"),
    ]
    # when a report with two files is posted the HTMX way
    response = client.post(url, {**_report(world), "files": files}, HTTP_HX_REQUEST="true")
    # then the progress region comes back with the report, its files and the new status
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Đã số hóa 8 dịch vụ" in html
    assert "Biên bản nghiệm thu.pdf" in html
    assert 'id="task-status" hx-swap-oob="true"' in html
    assert 'data-status="in_progress"' in html
    update = ProgressUpdate.objects.get(task=world.task)
    assert update.percent == 40
    assert sorted(e.content_type for e in update.evidence.all()) == [
        "application/pdf",
        "text/plain",
    ]


def test_report_without_htmx_redirects_to_the_task(world: World) -> None:
    response = client_for(world.officer).post(
        reverse("programs:progress_submit", args=[world.task.pk]), _report(world)
    )
    assert response.status_code == 302
    assert response["Location"] == world.task.get_absolute_url()


def test_file_of_a_refused_type_is_rejected_by_content_and_nothing_is_written(
    world: World,
) -> None:
    # given a valid report with one good file and one executable named .pdf
    files = [
        SimpleUploadedFile("good.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("report.pdf", FAKE_PDF, content_type="application/pdf"),
    ]
    # when it is posted
    response = client_for(world.officer).post(
        reverse("programs:progress_submit", args=[world.task.pk]),
        {**_report(world), "files": files},
        HTTP_HX_REQUEST="true",
    )
    # then the files field says which file and why, and nothing at all is recorded
    assert response.status_code == 400
    errors = response.context["progress_form"].errors["files"]
    assert "report.pdf is not an accepted kind of file" in errors[0]
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    world.task.refresh_from_db()
    assert world.task.latest_percent is None


def test_field_errors_are_in_the_users_language_and_nothing_is_written(world: World) -> None:
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    client = client_for(world.officer, "vi")
    url = reverse("programs:progress_submit", args=[world.task.pk])
    too_much = client.post(url, _report(world, percent="140"))
    in_future = client.post(url, _report(world, as_of=future))
    assert too_much.status_code == 400
    assert "100" in too_much.context["progress_form"].errors["percent"][0]
    assert "Không thể báo cáo tiến độ cho một ngày trong tương lai." in (in_future.content.decode())
    assert not ProgressUpdate.objects.exists()


def test_viewer_of_the_task_without_a_reporting_role_gets_403(world: World) -> None:
    # given a viewer of the lead unit: they see the task but do not report on it
    viewer = make_user(unit=world.department, role=Role.VIEWER)
    page = client_for(viewer).get(world.task.get_absolute_url())
    assert page.status_code == 200
    assert "progress-form" not in page.content.decode()
    # when they post a report anyway, then it is refused with the friendly 403 page
    response = client_for(viewer).post(
        reverse("programs:progress_submit", args=[world.task.pk]), _report(world)
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


@pytest.fixture
def evidence(world: World) -> Evidence:
    upload = SimpleUploadedFile("Báo cáo quý II.pdf", PDF, content_type="application/pdf")
    update = progress_submit(
        actor=world.officer,
        task=world.task,
        as_of=timezone.localdate(),
        percent=10,
        files=[upload],
    )
    return update.evidence.get()


def test_evidence_download_is_an_attachment_with_safe_headers(
    world: World, evidence: Evidence
) -> None:
    response = client_for(world.leader).get(
        reverse("programs:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Báo cáo quý II.pdf', safe='')}" in disposition
    assert b"".join(response.streaming_content) == PDF


def test_evidence_of_an_invisible_task_is_404(world: World, evidence: Evidence) -> None:
    client = client_for(world.outsider)
    assert client.get(reverse("programs:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("programs:evidence_download", args=[999999])).status_code == 404
