"""Zero leaks: roles x endpoints x objects inside and outside scope (issue 7).

- every endpoint of ``cases.py``: anonymous is sent to sign in (pages) or gets 401 (API); a user
  of another province gets 404 on every home record and never sees a home record in a list,
  count or export;
- the role matrix: who of the home province sees which record (a classified task, another unit's
  task, another unit's draft report, another province's self-assessment);
- field level: fields a user may not set are left unchanged in the database.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tiendo.core.models import Classification
from tiendo.indexing.models import Assessment
from tiendo.programs.models import Task
from tiendo.reminders.models import Notification
from tiendo.reporting.models import UnitReport

from .cases import ALL_CASES, CLEAN, OBJECT, Case, fill
from .world import MARK, PASSWORD, World

pytestmark = pytest.mark.django_db


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def send(world: World, role: str, case: Case) -> Any:
    path = fill(case.path, world.ids)
    data = fill(case.data, world.ids)
    if case.is_api:
        headers = {"Accept-Language": "en"}
        if role in world.tokens:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        method = getattr(Client(), case.method.lower())
        if case.method == "GET":
            return method(path, headers=headers)
        if data.pop("multipart", False):
            # Both field names: progress uploads take ``files``, import batches ``file``.
            for name in ("file", "files"):
                data[name] = SimpleUploadedFile("minutes.txt", b"minutes", "text/plain")
            return method(path, data, headers=headers)
        return method(path, json.dumps(data), content_type="application/json", headers=headers)
    client = client_for(world, role)
    return client.get(path) if case.method == "GET" else client.post(path, data)


def text_of(response: Any) -> str:
    """What a person would read in the answer: HTML/JSON/CSV text, or every cell of a workbook."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx/docx are zip files: read the cells, not the compressed bytes
        try:
            book = load_workbook(io.BytesIO(body), read_only=True)
        except Exception:  # a docx, or not a workbook: the raw bytes are all we can search
            return body.decode("latin-1")
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.key)
def test_anonymous_is_sent_to_sign_in(world: World, case: Case) -> None:
    # When someone who is not signed in calls the endpoint
    response = send(world, "anonymous", case)

    # Then the API answers 401 and a page redirects to the sign-in form
    if case.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.key)
def test_another_province_sees_nothing(world: World, case: Case) -> None:
    # When the committee leader of another province calls the endpoint on home records
    response = send(world, "other_province", case)

    # Then a home record is "not found" (not "forbidden"), and nothing home leaks into an answer
    assert response.status_code < 500
    if case.outsider == OBJECT:
        assert response.status_code == 404
    if case.outsider == CLEAN and response.status_code == 200:
        assert MARK not in text_of(response)


def test_another_province_changes_nothing(world: World) -> None:
    # Given every write of the registry sent by the other province
    task = Task.objects.get(pk=world.ids["task"])
    before = (task.title, task.version, task.hold_state, task.deadline)
    for case in ALL_CASES:
        if case.method != "GET":
            send(world, "other_province", case)

    # Then the home task, report and notification are as they were
    task.refresh_from_db()
    assert (task.title, task.version, task.hold_state, task.deadline) == before
    assert UnitReport.objects.get(pk=world.ids["report_a"]).results == ""
    assert Notification.objects.get(pk=world.ids["notification"]).read_at is None


def test_admin_refuses_everyone_but_staff(world: World) -> None:
    # Given every admin URL without arguments, and the change page of every registered model
    client = client_for(world, "other_province")
    urls = [reverse("admin:index")]
    for model in site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[1]))

    # When a signed-in user without staff status opens them
    statuses = {url: client.get(url) for url in urls}

    # Then each one sends them to the admin's sign-in page
    for url, response in statuses.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


# The role matrix: (label, page path, API path) -> roles that see it; everyone else gets 404.
EVERYONE_HOME = {
    "committee_leader",
    "standing_office",
    "unit_leader",
    "unit_officer",
    "reviewer",
    "viewer",
    "auditor",
    "administrator",
}
PROGRAM_WIDE = {"committee_leader", "standing_office", "auditor", "administrator"}
MATRIX = [
    ("own unit's task", "/tasks/{task}/", "/api/v1/tasks/{task}", EVERYONE_HOME),
    ("own unit's evidence", "/evidence/{evidence}/", "/api/v1/evidence/{evidence}", EVERYONE_HOME),
    ("another unit's task", "/tasks/{task_b}/", "/api/v1/tasks/{task_b}", PROGRAM_WIDE),
    ("classified task", "/tasks/{classified}/", "/api/v1/tasks/{classified}", {"administrator"}),
    # A draft is read by its own unit only (reporting.selectors.reports_visible_q): the standing
    # office and the committee see a report once it is sent.
    (
        "own unit's draft report",
        "/reports/unit-reports/{report_a}/",
        "/api/v1/unit-reports/{report_a}",
        {"unit_leader", "unit_officer", "reviewer", "viewer"},
    ),
    (
        "another unit's draft report",
        "/reports/unit-reports/{report_b}/",
        "/api/v1/unit-reports/{report_b}",
        set(),
    ),
    (
        "another province's self-assessment",
        "/index/assessments/{assessment_neighbour}/",
        "/api/v1/index/assessments/{assessment_neighbour}",
        {"administrator"},
    ),
    (
        "another province's task",
        "/tasks/{outside}/",
        "/api/v1/tasks/{outside}",
        {"administrator", "other_province"},
    ),
]
ROLES = [*sorted(EVERYONE_HOME), "other_province"]

# Pages, exports and downloads without an API twin: (label, page) -> roles that get 200.
PAGE_MATRIX = [
    ("program page", "/programs/{program}/", EVERYONE_HOME),
    ("program dashboard export", "/dashboards/programs/{program}/export.xlsx", EVERYONE_HOME),
    ("reporting period", "/reports/periods/{period}/", EVERYONE_HOME),
    ("consultation round", "/appraisals/consultations/{round}/", EVERYONE_HOME),
    # A unit's dashboard: its members and those above it, not a sibling standing office.
    (
        "department dashboard export",
        "/dashboards/units/{unit}/export.xlsx",
        EVERYONE_HOME - {"standing_office"},
    ),
    # The province's own self-assessment: its members, not the members of a department below.
    (
        "own province's self-assessment",
        "/index/assessments/{assessment}/",
        {"committee_leader", "auditor", "administrator"},
    ),
    ("audit trail", "/audit/", {"auditor", "administrator"}),
    ("audit trail export", "/audit/export.csv", {"auditor", "administrator"}),
    # An import batch belongs to whoever uploaded it.
    ("import batch preview", "/imports/batches/{batch}/preview/", {"standing_office"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "page", "allowed"), PAGE_MATRIX, ids=[m[0] for m in PAGE_MATRIX])
def test_page_matrix(world: World, role: str, label: str, page: str, allowed: set[str]) -> None:
    # When the role opens the page, export or download
    response = client_for(world, role).get(page.format(**world.ids))

    # Then it gets it if the matrix says so, else "not found"
    assert response.status_code == (200 if role in allowed else 404), label


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("label", "page", "api_path", "allowed"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_role_matrix(
    world: World, role: str, label: str, page: str, api_path: str, allowed: set[str]
) -> None:
    ids = {**world.ids, "outside": world.outside_task.pk}
    expected = 200 if role in allowed else 404

    # When the role opens the record as a page and through the API
    page_response = client_for(world, role).get(page.format(**ids))
    api_response = Client().get(
        api_path.format(**ids), headers={"Authorization": f"Bearer {world.tokens[role]}"}
    )

    # Then both agree with the matrix
    assert (page_response.status_code, api_response.status_code) == (expected, expected), label


LISTS = [
    "/tasks/",
    "/tasks/?q=Classified",
    "/tasks/?status=not_started",
    "/dashboards/list/?program={program}",
    "/dashboards/units/export.xlsx",
    "/dashboards/programs/{program}/export.xlsx",
    "/api/v1/tasks",
    "/api/v1/tasks?q=Classified",
    "/api/v1/programs/{program}/summary",
    "/imports/programs/{program}/export.xlsx",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("role", ["viewer", "unit_officer", "standing_office"])
def test_lists_and_exports_never_show_a_classified_task(world: World, role: str, path: str) -> None:
    # When a user whose clearance is below SECRET reads a list, a count or an export
    client = client_for(world, role)
    headers = {"Authorization": f"Bearer {world.tokens[role]}"} if path.startswith("/api/") else {}
    response = client.get(path.format(**world.ids), headers=headers)

    # Then the classified task is not in it (nor counted under its title)
    assert response.status_code in (200, 403, 404)
    assert "Classified plan" not in text_of(response)


@pytest.mark.parametrize(
    "path", ["/tasks/", "/api/v1/tasks", "/dashboards/list/?program={program}"]
)
def test_unit_lists_hold_only_the_units_own_tasks(world: World, path: str) -> None:
    # When the officer of department A lists tasks
    headers = {"Authorization": f"Bearer {world.tokens['unit_officer']}"}
    response = client_for(world, "unit_officer").get(path.format(**world.ids), headers=headers)

    # Then department B's task is not listed
    assert response.status_code == 200
    assert "Department B work" not in text_of(response)


def test_a_filter_naming_another_provinces_program_lists_nothing(world: World) -> None:
    # When the outsider filters the task list by the home program's id
    client = client_for(world, "other_province")
    page = client.get("/tasks/", {"program": world.ids["program"]})
    api = Client().get(
        "/api/v1/tasks",
        {"program": world.ids["program"]},
        headers={"Authorization": f"Bearer {world.tokens['other_province']}"},
    )

    # Then no home task appears, whatever the filter
    assert MARK not in text_of(page)
    assert MARK not in text_of(api)


@pytest.mark.parametrize(
    "path",
    [
        "/units/pick/?q=",
        "/units/pick/?q=department",
        "/units/pick/?q=home+province",
        "/units/pick/?q={province}",
        "/tasks/?unit_search=home+province",
        "/tasks/?unit_search=department",
        "/tasks/?unit={unit}",
        "/programs/pick/?q=",
        "/programs/pick/?q=home+program",
        "/tasks/?program_search=home+program",
        "/tasks/?program={program}",
    ],
)
def test_the_pickers_never_find_another_provinces_units_or_programs(
    world: World, path: str
) -> None:
    # When the outsider searches units by name, by id-like text, or names a home unit's id
    response = client_for(world, "other_province").get(path.format(**world.ids))

    # Then no home unit is listed, chosen or named as the place of another unit
    assert response.status_code in (200, 403)
    assert MARK not in text_of(response)


# Field level ----------------------------------------------------------------------------------


def api(world: World, role: str, method: str, path: str, body: dict[str, Any]) -> Any:
    send_ = getattr(Client(), method)
    return send_(
        path.format(**world.ids),
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens[role]}"},
    )


def test_task_fields_nobody_may_set_stay_unchanged(world: World) -> None:
    # Given the task as the standing office (who manages the program) sees it
    task = Task.objects.get(pk=world.ids["task"])
    before = (task.assigned_at, task.completed_on, task.version, task.lead_unit_id)

    # When the office sends read-only fields alongside a legitimate title change
    response = api(world, "standing_office", "patch", "/api/v1/tasks/{task}", {
        "version": task.version, "title": f"Renamed {MARK}", "assigned_at": "2020-01-01T00:00:00Z",
        "completed_on": "2020-01-02", "program": world.outside_task.program_id, "id": 999,
    })  # fmt: skip

    # Then only the title changed (and the version moved on by one)
    task.refresh_from_db()
    assert response.status_code == 200
    assert task.title == f"Renamed {MARK}"
    assert (task.assigned_at, task.completed_on, task.lead_unit_id) == (
        before[0],
        before[1],
        before[3],
    )
    assert task.version == before[2] + 1
    assert task.program_id == world.program.pk


def test_classification_above_clearance_is_refused(world: World) -> None:
    # Given the standing office, cleared for public records only
    task = Task.objects.get(pk=world.ids["task"])

    # When it tries to raise the task to SECRET
    response = api(world, "standing_office", "patch", "/api/v1/tasks/{task}", {
        "version": task.version, "classification": Classification.SECRET,
    })  # fmt: skip

    # Then it is refused and the task stays public
    task.refresh_from_db()
    assert response.status_code in (403, 422)
    assert task.classification == Classification.PUBLIC


def test_lead_unit_outside_scope_is_refused(world: World) -> None:
    # When the standing office moves the task to a unit of another province
    task = Task.objects.get(pk=world.ids["task"])
    response = api(world, "standing_office", "patch", "/api/v1/tasks/{task}", {
        "version": task.version, "lead_unit": world.outside_task.lead_unit_id,
    })  # fmt: skip

    # Then it is refused and the lead unit is unchanged
    task.refresh_from_db()
    assert response.status_code in (403, 404, 422)
    assert task.lead_unit_id == world.ids["unit"]


def test_an_officer_cannot_edit_or_reassign_a_task(world: World) -> None:
    # When the unit officer (who reports progress) edits the lead unit, assignee and title
    task = Task.objects.get(pk=world.ids["task"])
    before = (task.title, task.lead_unit_id, task.assignee_id, task.version)
    response = api(world, "unit_officer", "patch", "/api/v1/tasks/{task}", {
        "version": task.version, "title": "Mine now", "lead_unit": world.ids["province"],
        "assignee": world.user("viewer").pk,  # type: ignore[union-attr]
    })  # fmt: skip

    # Then it is refused and nothing changed
    task.refresh_from_db()
    assert response.status_code == 403
    assert (task.title, task.lead_unit_id, task.assignee_id, task.version) == before


def test_a_unit_report_keeps_its_unit_state_and_reviewer(world: World) -> None:
    # Given department A's draft report
    report = UnitReport.objects.get(pk=world.ids["report_a"])

    # When its officer saves it with fields only the system or the reviewer set
    response = api(world, "unit_officer", "patch", "/api/v1/unit-reports/{report_a}", {
        "results": f"Done {MARK}", "unit": world.ids["province"], "state": "accepted",
        "reviewed_by": world.user("standing_office").pk,  # type: ignore[union-attr]
        "version": 99, "submitted_at": "2020-01-01T00:00:00Z",
    })  # fmt: skip

    # Then the text is saved, and unit, state, reviewer and submission are untouched
    after = UnitReport.objects.get(pk=report.pk)
    assert response.status_code == 200
    assert after.results == f"Done {MARK}"
    assert (after.unit_id, after.state, after.reviewed_by_id, after.submitted_at) == (
        report.unit_id,
        report.state,
        None,
        None,
    )


def test_a_unit_cannot_verify_its_own_score(world: World) -> None:
    # Given the home province's self-assessment (not yet submitted)
    assessment = Assessment.objects.get(pk=world.ids["assessment"])

    # When the committee leader of the province, not a reviewer of the index, verifies it
    response = api(world, "committee_leader", "post",
                   "/api/v1/index/assessments/{assessment}/verify",
                   {"version": assessment.version, "state": "verified"})  # fmt: skip

    # Then it is refused and nothing about the verification changed
    after = Assessment.objects.get(pk=assessment.pk)
    assert response.status_code in (403, 404, 409, 422)
    assert (after.state, after.verified_by_id, after.version) == (
        assessment.state,
        None,
        assessment.version,
    )


def test_progress_cannot_be_posted_onto_another_task_or_complete_it_by_fiat(world: World) -> None:
    # When the officer reports progress with a foreign task id and a completion date in the body
    task = Task.objects.get(pk=world.ids["task"])
    response = api(world, "unit_officer", "post", "/api/v1/tasks/{task}/progress", {
        "as_of": "2025-03-05", "percent": 50, "task": world.outside_task.pk,
        "completed_on": "2025-03-05", "verified": True,
    })  # fmt: skip

    # Then the report landed on the task of the URL, which is not completed
    task.refresh_from_db()
    assert response.status_code == 201
    assert task.completed_on is None
    assert not world.outside_task.updates.exists()


def test_sign_in_with_the_password_works_for_the_matrix_users(world: World) -> None:
    # The matrix uses force_login; the real sign-in path must accept the same users
    client = Client()
    response = client.post(reverse("login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
