from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tiendo.accounts.services import api_token_create
from tiendo.programs.models import Task
from tiendo.programs.tests.factories import make_admin, make_task

from .annexes import xlsx_annex
from .conftest import REALISTIC_ROWS


def bearer(user):
    _token, secret = api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_file(client, url, content, headers, name="annex.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, **headers)


def test_upload_preview_resolve_and_confirm_by_api(hp):
    client, auth = Client(), bearer(hp.office_user)
    # when an annex is uploaded
    response = post_file(
        client, f"/api/v1/programs/{hp.program.pk}/imports", xlsx_annex(REALISTIC_ROWS), auth
    )
    # then the guessed mapping comes back
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["mapping"]["lead"] == 2
    assert batch["header_row"] == 3
    # when previewed / then rows, counts and names to resolve, nothing written
    preview = client.get(f"/api/v1/imports/{batch['id']}/preview", **auth).json()
    assert preview["counts"]["create"] == 6
    assert len(preview["rows"]) == 6
    assert set(preview["unresolved"]) == {
        "Ngân hàng Nhà nước chi nhánh tỉnh",
        "Trung tâm Công nghệ thông tin",
    }
    assert Task.objects.count() == 0
    # when confirmed with names unresolved / then 422 with the reason
    refused = client.post(
        f"/api/v1/imports/{batch['id']}/confirm", {}, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    assert "match no unit" in refused.json()["detail"]
    # when the names are resolved and confirmed
    centre = preview["unresolved"]["Trung tâm Công nghệ thông tin"][0]["id"]
    resolved = client.put(
        f"/api/v1/imports/{batch['id']}/resolutions",
        {
            "resolutions": {
                "Trung tâm Công nghệ thông tin": [centre],
                "Ngân hàng Nhà nước chi nhánh tỉnh": [],
            }
        },
        content_type="application/json",
        **auth,
    )
    assert resolved.status_code == 200
    assert resolved.json()["unresolved"] == {}
    done = client.post(
        f"/api/v1/imports/{batch['id']}/confirm", {}, content_type="application/json", **auth
    )
    # then the tasks are created
    assert done.status_code == 200, done.content
    assert done.json()["summary"]["created"] == 6
    assert Task.objects.filter(program=hp.program).count() == 6


def test_row_errors_come_back_with_row_and_column(hp):
    client, auth = Client(), bearer(hp.office_user)
    content = xlsx_annex([("1", "A", "Sở Nội vụ", "", "Quý V/2024", "")])
    batch = post_file(client, f"/api/v1/programs/{hp.program.pk}/imports", content, auth).json()
    errors = client.get(f"/api/v1/imports/{batch['id']}/preview", **auth).json()["errors"]
    assert (errors[0]["row"], errors[0]["column"]) == (5, "E")
    assert errors[0]["title"] == "Thời gian hoàn thành"


def test_mapping_can_be_set_by_api_and_is_validated(hp):
    client, auth = Client(), bearer(hp.office_user)
    url = f"/api/v1/programs/{hp.program.pk}/imports"
    batch = post_file(client, url, xlsx_annex(REALISTIC_ROWS), auth).json()
    bad = client.put(
        f"/api/v1/imports/{batch['id']}/mapping",
        {"mapping": {"number": 0, "title": 0}},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    assert "title" in bad.json()["errors"]
    good = client.put(
        f"/api/v1/imports/{batch['id']}/mapping",
        {"mapping": {"number": 0, "title": 1, "lead": None}, "version": batch["version"]},
        content_type="application/json",
        **auth,
    )
    assert good.status_code == 200
    assert good.json()["mapping"] == {"number": 0, "title": 1}


def test_outsiders_get_404_and_members_who_cannot_import_get_403(hp):
    # given the officer of Sở Nội vụ can see the program through a task of his unit
    make_task(program=hp.program, lead_unit=hp.home)
    client = Client()
    content = xlsx_annex(REALISTIC_ROWS)
    url = f"/api/v1/programs/{hp.program.pk}/imports"
    # when they upload / then the outsider is told nothing exists, the officer is refused
    assert post_file(client, url, content, bearer(hp.outsider)).status_code == 404
    assert post_file(client, url, content, bearer(hp.officer)).status_code == 403
    # and another user's batch is not found, even by an administrator
    batch = post_file(client, url, content, bearer(hp.office_user)).json()
    preview = f"/api/v1/imports/{batch['id']}/preview"
    assert client.get(preview, **bearer(make_admin())).status_code == 404
    assert client.get(preview, **bearer(hp.outsider)).status_code == 404


def test_template_and_export_by_api(hp):
    auth = bearer(hp.office_user)
    template = Client().get("/api/v1/import-template.xlsx", **auth)
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    export = Client().get(f"/api/v1/programs/{hp.program.pk}/export.xlsx", **auth)
    assert export.status_code == 200
    hidden = Client().get(f"/api/v1/programs/{hp.program.pk}/export.xlsx", **bearer(hp.outsider))
    assert hidden.status_code == 404


def test_unauthenticated_calls_are_refused(hp):
    assert Client().get(f"/api/v1/programs/{hp.program.pk}/export.xlsx").status_code == 401


def test_a_confirm_with_an_old_version_is_refused_by_api(hp):
    client, auth = Client(), bearer(hp.office_user)
    rows = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]
    batch = post_file(
        client, f"/api/v1/programs/{hp.program.pk}/imports", xlsx_annex(rows), auth
    ).json()
    client.get(f"/api/v1/imports/{batch['id']}/preview", **auth)
    # when the mapping changes after the preview the script checked
    changed = client.put(
        f"/api/v1/imports/{batch['id']}/mapping",
        {
            "mapping": batch["mapping"],
            "header_row": batch["header_row"],
            "version": batch["version"],
        },
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200, changed.content
    # then a confirm naming the old version is refused and writes nothing
    url = f"/api/v1/imports/{batch['id']}/confirm"
    stale = client.post(url, {"version": batch["version"]}, content_type="application/json", **auth)
    assert stale.status_code == 409
    assert Task.objects.count() == 0
    # and with the current version it writes
    current = changed.json()["version"]
    client.get(f"/api/v1/imports/{batch['id']}/preview", **auth)
    done = client.post(url, {"version": current}, content_type="application/json", **auth)
    assert done.status_code == 200, done.content
    assert Task.objects.filter(program=hp.program).count() == 4
