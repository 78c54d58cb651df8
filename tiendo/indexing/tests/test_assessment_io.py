"""Self-assessment by spreadsheet: download, fill, upload; bad cells give row and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tiendo.indexing.models import IndicatorValue
from tiendo.indexing.tests.builders import make_cycle

pytestmark = pytest.mark.django_db


def _filled(client, assessment, cells):
    sheet_bytes = client.get(
        reverse("indexing:assessment_detail", args=[assessment.pk]), {"format": "xlsx"}
    ).content
    book = load_workbook(io.BytesIO(sheet_bytes))
    for ref, value in cells.items():
        book.active[ref] = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("assessment.xlsx", out.getvalue())


def test_unit_fills_the_sheet_and_uploads_it():
    # given the downloaded sheet, listing the two indicators the unit enters (Q1 is automatic)
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    client = Client()
    client.force_login(cycle.leaders[0])
    upload = _filled(client, a, {"D2": 1, "E2": "Decision 7", "D3": "62,5", "E3": "Portal report"})
    # when it is uploaded
    client.post(reverse("indexing:assessment_action", args=[a.pk]),
                {"action": "upload", "version": a.version, "file": upload})  # fmt: skip
    # then both values are entered as self-assessment with their evidence
    values = {
        v.node.code: (v.value, v.evidence_note) for v in IndicatorValue.objects.filter(assessment=a)
    }
    assert values == {"P1": (1.0, "Decision 7"), "P2": (62.5, "Portal report")}


def test_a_bad_cell_names_row_and_column_and_saves_nothing():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    client = Client()
    client.force_login(cycle.leaders[0])
    upload = _filled(client, a, {"D2": 1, "E2": "Decision 7", "D3": "lots"})
    page = client.post(reverse("indexing:assessment_action", args=[a.pk]),
                       {"action": "upload", "version": a.version, "file": upload}, follow=True)  # fmt: skip
    assert "Row 3, column D: “lots” is not a number." in page.content.decode()
    assert not IndicatorValue.objects.exists()
    # and a value out of range is refused with the indicator's code
    upload = _filled(client, a, {"D2": 1, "E2": "Decision 7", "D3": 150, "E3": "x"})
    page = client.post(reverse("indexing:assessment_action", args=[a.pk]),
                       {"action": "upload", "version": a.version, "file": upload}, follow=True)  # fmt: skip
    assert "P2: A percentage must be between 0 and 100." in page.content.decode()
    assert not IndicatorValue.objects.exists()
