import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiendo.imports.models import ImportBatch
from tiendo.programs.models import Task
from tiendo.programs.tests.factories import make_task

from .annexes import xlsx_annex
from .conftest import REALISTIC_ROWS

ROWS = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_upload_mapping_preview_confirm_in_the_browser(hp):
    client = signed_in(hp.office_user)
    upload_url = reverse("imports:upload", args=[hp.program.pk])
    # given the upload page
    page = client.get(upload_url)
    assert page.status_code == 200
    assert b'hx-encoding="multipart/form-data"' in page.content
    # when an annex is uploaded / then the mapping step shows the guessed columns
    response = client.post(upload_url, {"file": SimpleUploadedFile("kh.xlsx", xlsx_annex(ROWS))})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:mapping", args=[batch.pk])
    mapping_page = client.get(response["Location"])
    assert 'value="2" selected' in mapping_page.content.decode()
    # when the mapping is confirmed (by HTMX) / then the preview partial comes back
    form = {f"field_{k}": v for k, v in batch.mapping.items()}
    preview = client.post(
        reverse("imports:mapping", args=[batch.pk]),
        {**form, "header_row": 3, "version": batch.version},
        **HTMX,
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<html" not in html
    assert preview["HX-Push-Url"] == reverse("imports:preview", args=[batch.pk])
    assert "4 tasks will be created" in html
    assert "4 tasks will need completing (five clears) before they can be assigned" in html
    assert "Rà soát quy trình nội bộ" in html
    assert Task.objects.count() == 0
    # when confirmed / then the tasks are written and the summary shown
    done = client.post(reverse("imports:confirm", args=[batch.pk]), **HTMX)
    assert done.status_code == 200
    assert "4 tasks created" in done.content.decode()
    assert Task.objects.filter(program=hp.program).count() == 4


def test_the_review_step_resolves_agencies(hp):
    client = signed_in(hp.office_user)
    client.post(
        reverse("imports:upload", args=[hp.program.pk]),
        {"file": SimpleUploadedFile("kh.xlsx", xlsx_annex(REALISTIC_ROWS))},
    )
    batch = ImportBatch.objects.get()
    preview = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Agencies to check" in preview
    assert "Trung tâm Công nghệ thông tin (Sở Thông tin và Truyền thông)" in preview
    centre = hp.ict.children.get()
    batch.refresh_from_db()
    response = client.post(
        reverse("imports:resolve", args=[batch.pk]),
        {
            "name": ["Ngân hàng Nhà nước chi nhánh tỉnh", "Trung tâm Công nghệ thông tin"],
            "unit_0": "none",
            "unit_1": str(centre.pk),
            "version": batch.version,
        },
    )
    assert response.status_code == 302
    preview = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Agencies to check" not in preview
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Task.objects.get(number="5").lead_unit == centre


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(hp):
    client = signed_in(hp.office_user)
    content = xlsx_annex([("1", "A", "Sở Nội vụ", "", "Quý V/2024", "")])
    client.post(
        reverse("imports:upload", args=[hp.program.pk]),
        {"file": SimpleUploadedFile("kh.xlsx", content)},
    )
    batch = ImportBatch.objects.get()
    html = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Row 5, column E (Thời gian hoàn thành)" in html
    assert "Confirm and import" not in html
    refused = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert refused.status_code == 400
    assert Task.objects.count() == 0


def test_a_wrong_file_is_refused_on_upload(hp):
    client = signed_in(hp.office_user)
    response = client.post(
        reverse("imports:upload", args=[hp.program.pk]),
        {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.7 ...")},
    )
    assert response.status_code == 400
    assert "not supported" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_pages_in_vietnamese(hp):
    client = signed_in(hp.office_user)
    client.cookies["django_language"] = "vi"
    html = client.get(
        reverse("imports:upload", args=[hp.program.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Nhập kế hoạch" in html


def test_who_may_open_the_import_pages(hp):
    make_task(program=hp.program, lead_unit=hp.home)  # the officer can see the program
    url = reverse("imports:upload", args=[hp.program.pk])
    assert signed_in(hp.outsider).get(url).status_code == 404
    assert signed_in(hp.officer).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the sign-in page
    # and a batch is its uploader's only
    owner = signed_in(hp.office_user)
    owner.post(url, {"file": SimpleUploadedFile("kh.xlsx", xlsx_annex(ROWS))})
    batch = ImportBatch.objects.get()
    for user in (hp.officer, hp.outsider):
        client = signed_in(user)
        assert client.get(reverse("imports:preview", args=[batch.pk])).status_code == 404
        assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert Task.objects.filter(program=hp.program).count() == 1


def test_export_and_template_download(hp):
    from openpyxl import load_workbook

    make_task(program=hp.program, lead_unit=hp.home, number="1", title="Xây dựng kho dữ liệu")
    export = signed_in(hp.office_user).get(reverse("imports:export", args=[hp.program.pk]))
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert any(row[1] == "Xây dựng kho dữ liệu" for row in book.active.iter_rows(values_only=True))
    template = signed_in(hp.office_user).get(reverse("imports:template"))
    assert template.status_code == 200
    assert (
        signed_in(hp.outsider).get(reverse("imports:export", args=[hp.program.pk])).status_code
        == 404
    )


def test_the_preview_page_costs_the_same_queries_for_3_or_60_rows(hp):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count):
        ImportBatch.objects.all().delete()
        rows = [
            (str(i), f"Nhiệm vụ {i}", "Sở Nội vụ", "Các sở, ban, ngành", "2025", "5 hồ sơ")
            for i in range(1, count + 1)
        ]
        client = signed_in(hp.office_user)
        client.post(
            reverse("imports:upload", args=[hp.program.pk]),
            {"file": SimpleUploadedFile("kh.xlsx", xlsx_annex(rows))},
        )
        batch = ImportBatch.objects.get()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("imports:preview", args=[batch.pk])).status_code == 200
        return len(captured)

    assert queries_for(3) == queries_for(60)


def test_the_program_page_links_to_the_import_for_managers_and_to_the_export_for_viewers(hp):
    page_url = reverse("programs:program_detail", args=[hp.program.pk])
    upload_url = reverse("imports:upload", args=[hp.program.pk])
    export_url = reverse("imports:export", args=[hp.program.pk])
    # given the standing office / then both links
    page = signed_in(hp.office_user).get(page_url).content.decode()
    assert f'href="{upload_url}"' in page
    assert f'href="{export_url}"' in page
    # given an officer who sees the program (a task of their unit) but may not import
    make_task(program=hp.program, lead_unit=hp.home)
    # then the export link only
    page = signed_in(hp.officer).get(page_url).content.decode()
    assert f'href="{upload_url}"' not in page
    assert f'href="{export_url}"' in page
    assert signed_in(hp.officer).get(upload_url).status_code == 403
    assert signed_in(hp.officer).get(export_url).status_code == 200


def test_a_confirm_from_a_tab_whose_preview_went_stale_writes_nothing(hp):
    # given a preview open in one tab (its form carries the batch version)
    client = signed_in(hp.office_user)
    client.post(
        reverse("imports:upload", args=[hp.program.pk]),
        {"file": SimpleUploadedFile("kh.xlsx", xlsx_annex(ROWS))},
    )
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    seen = batch.version
    assert f'name="version" value="{seen}"' in page
    # when the columns are saved again in another tab
    form = {f"field_{k}": v for k, v in batch.mapping.items()}
    saved = client.post(
        reverse("imports:mapping", args=[batch.pk]), {**form, "header_row": 3, "version": seen}
    )
    assert saved.status_code == 302
    # and the first tab confirms what it saw
    refused = client.post(reverse("imports:confirm", args=[batch.pk]), {"version": seen}, **HTMX)
    # then it is refused with the reason and nothing is written
    assert refused.status_code == 409
    assert "changed in another window after you looked at its preview" in refused.content.decode()
    assert Task.objects.count() == 0
    # and the confirm from the current preview still works
    batch.refresh_from_db()
    done = client.post(
        reverse("imports:confirm", args=[batch.pk]), {"version": batch.version}, **HTMX
    )
    assert done.status_code == 200
    assert Task.objects.filter(program=hp.program).count() == 4
