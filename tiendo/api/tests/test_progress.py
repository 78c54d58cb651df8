"""Progress reports (JSON and multipart with evidence) and evidence downloads through scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tiendo.accounts.models import Role, User
from tiendo.accounts.services import api_token_create
from tiendo.programs.models import Evidence, ProgressUpdate
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_user

from .helpers import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(world: World, user: User, task_id: int, files: list, **fields: object) -> Any:
    _, secret = api_token_create(user=user, name="upload")
    data = {"as_of": "2024-05-01", "percent": "60", **fields, "files": files}
    return Client().post(
        f"/api/v1/tasks/{task_id}/progress/upload",
        data,
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )


def test_report_progress_as_json(world: World) -> None:
    api = world.api(world.officer_a)
    response = api.post(
        f"/tasks/{world.task_a.pk}/progress",
        {"as_of": "2024-05-01", "percent": 30, "narrative": "Survey done", "achieved_quantity": 5},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["percent"], body["narrative"], body["evidence"]) == (30, "Survey done", [])
    assert body["unit"] == {"id": world.commune_a.pk, "name": "Commune A"}
    assert api.get(f"/tasks/{world.task_a.pk}").json()["latest_percent"] == 30


def test_progress_history_newest_first_and_paginated(world: World) -> None:
    for day, percent in ((1, 10), (3, 30), (2, 20)):
        progress_submit(
            actor=world.officer_a, task=world.task_a, as_of=dt.date(2024, 5, day), percent=percent
        )
    api = world.api(world.officer_a)
    body = api.get(f"/tasks/{world.task_a.pk}/progress", limit=2).json()
    assert body["count"] == 3
    assert [u["percent"] for u in body["items"]] == [30, 20]
    rest = api.get(f"/tasks/{world.task_a.pk}/progress", limit=2, offset=2).json()
    assert [u["percent"] for u in rest["items"]] == [10]


def test_bad_progress_is_422_and_nothing_written(world: World) -> None:
    api = world.api(world.officer_a)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = api.post(f"/tasks/{world.task_a.pk}/progress", {"as_of": future, "percent": 10})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["as_of"]
    response = api.post(
        f"/tasks/{world.task_a.pk}/progress", {"as_of": "2024-01-01", "percent": 101}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["percent"] == ["Enter a value less than or equal to 100."]
    assert not ProgressUpdate.objects.exists()


def test_progress_on_a_task_outside_scope_is_404(world: World) -> None:
    response = world.api(world.officer_a).post(
        f"/tasks/{world.task_b.pk}/progress", {"as_of": "2024-05-01", "percent": 10}
    )
    assert response.status_code == 404
    assert world.api(world.officer_a).get(f"/tasks/{world.task_b.pk}/progress").status_code == 404


def test_viewer_in_scope_without_right_to_report_is_403(world: World) -> None:
    # Given a viewer of commune A: the task is visible, reporting on it is not allowed
    viewer = make_user("viewer_a", unit=world.commune_a, role=Role.VIEWER)
    response = world.api(viewer).post(
        f"/tasks/{world.task_a.pk}/progress", {"as_of": "2024-05-01", "percent": 10}
    )
    assert response.status_code == 403


def test_multipart_progress_with_evidence_and_download(world: World) -> None:
    files = [SimpleUploadedFile("báo cáo.pdf", PDF, content_type="application/pdf")]
    response = upload(world, world.officer_a, world.task_a.pk, files, narrative="Signed")
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert [(e["name"], e["content_type"]) for e in evidence] == [
        ("báo cáo.pdf", "application/pdf")
    ]
    # When officer A downloads it, the bytes come back with the original name
    download = world.api(world.officer_a).get(evidence[0]["url"].removeprefix("/api/v1"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # And officer B, outside the scope, gets 404
    assert world.api(world.officer_b).get(f"/evidence/{evidence[0]['id']}").status_code == 404


def test_a_disguised_file_is_refused_and_nothing_written(world: World) -> None:
    files = [
        SimpleUploadedFile("ok.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile(
            "virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf"
        ),
    ]
    response = upload(world, world.officer_a, world.task_a.pk, files)
    assert response.status_code == 422
    assert "virus.pdf is not an accepted kind of file" in response.json()["errors"]["files"][0]
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()


def test_multipart_field_errors_are_422(world: World) -> None:
    response = upload(world, world.officer_a, world.task_a.pk, [], percent="lots")
    assert response.status_code == 422
    assert response.json()["errors"] == {"percent": ["Enter a whole number."]}


def test_unknown_evidence_is_404(world: World) -> None:
    assert world.api(world.officer_a).get("/evidence/424242").status_code == 404


def test_too_many_files_is_422(world: World, settings: object) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2  # type: ignore[attr-defined]
    files = [SimpleUploadedFile(f"{n}.pdf", PDF, content_type="application/pdf") for n in range(3)]
    response = upload(world, world.officer_a, world.task_a.pk, files)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["files"]
    assert not ProgressUpdate.objects.exists()


def test_evidence_whose_file_is_gone_is_404_not_500(world: World) -> None:
    files = [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    evidence_id = upload(world, world.officer_a, world.task_a.pk, files).json()["evidence"][0]["id"]
    stored = Evidence.objects.get(pk=evidence_id)
    stored.file.storage.delete(str(stored.file.name))
    assert world.api(world.officer_a).get(f"/evidence/{evidence_id}").status_code == 404
