"""Index pages through the real HTTP path: cycle actions, results, explain, exports, refusals."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tiendo.indexing.models import AssessmentState, IndicatorValue, PeriodState
from tiendo.indexing.tests.builders import make_cycle, run_full_cycle, self_assess

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_unit_leader_self_assesses_and_submits_through_the_page():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    client = _client(cycle.leaders[0])
    url = reverse("indexing:assessment_action", args=[a.pk])
    page = client.get(reverse("indexing:assessment_detail", args=[a.pk]))
    assert page.status_code == 200
    assert "Plan issued" in page.content.decode()
    client.post(url, {"action": "enter", "node": cycle.node("P1").pk, "value": "1",
                      "evidence_note": "Decision 5", "version": a.version})  # fmt: skip
    a.refresh_from_db()
    client.post(url, {"action": "enter", "node": cycle.node("P2").pk, "value": "75,5",
                      "evidence_note": "Portal", "version": a.version})  # fmt: skip
    a.refresh_from_db()
    response = client.post(url, {"action": "submit", "version": a.version}, follow=True)
    a.refresh_from_db()
    assert a.state == AssessmentState.SUBMITTED
    assert IndicatorValue.objects.get(assessment=a, node__code="P2").value == 75.5
    assert "Saved." in response.content.decode()


def test_a_bad_value_shows_a_clear_error_and_changes_nothing():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    response = _client(cycle.leaders[0]).post(
        reverse("indexing:assessment_action", args=[a.pk]),
        {"action": "enter", "node": cycle.node("P2").pk, "value": "abc", "version": a.version},
        follow=True,
    )
    assert "Enter a number." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_another_units_assessment_answers_404():
    cycle = make_cycle(2)
    client = _client(cycle.leaders[1])
    assert (
        client.get(reverse("indexing:assessment_detail", args=[cycle.assessment(0).pk])).status_code
        == 404
    )
    assert client.post(reverse("indexing:assessment_action", args=[cycle.assessment(0).pk]),
                       {"action": "submit", "version": 1}).status_code == 404  # fmt: skip


def test_committee_approves_and_publishes_then_everyone_reads_results():
    cycle = make_cycle(2)
    for i, (p1, p2) in enumerate([(1, 100), (0, 40)]):
        a = self_assess(cycle, i, p1, p2)
        _client(cycle.reviewer).post(reverse("indexing:assessment_action", args=[a.pk]),
                                     {"action": "verify", "version": a.version})  # fmt: skip
    chair = _client(cycle.chair)
    url = reverse("indexing:period_action", args=[cycle.period.pk])
    chair.post(url, {"action": "approve", "version": cycle.period.version})
    cycle.period.refresh_from_db()
    chair.post(url, {"action": "publish", "version": cycle.period.version})
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED
    viewer = _client(cycle.leaders[1])
    page = viewer.get(reverse("indexing:results", args=[cycle.period.pk])).content.decode()
    assert "Province A" in page
    assert "Province B" in page
    assert "1, 2, 2, 4" in page
    unit = viewer.get(
        reverse("indexing:unit_result", args=[cycle.period.pk, cycle.provinces[0].pk])
    )
    assert unit.status_code == 200
    assert "<polygon" in unit.content.decode()  # the server-side radar
    explain = viewer.get(
        reverse("indexing:explain", args=[cycle.period.pk, cycle.provinces[0].pk, "P2"])
    )
    assert "Ratio to a target" in explain.content.decode()
    # the rule with the unit's figures (P2 = 100 % of a 100 % target, 30 points)
    assert "100 / 100 = 1 × 30 = 30" in explain.content.decode()


def test_results_and_emulation_export_xlsx_with_the_rule():
    cycle = make_cycle(2)
    run_full_cycle(cycle, [(1, 100), (0, 40)])
    client = _client(cycle.chair)
    data = client.get(
        reverse("indexing:results", args=[cycle.period.pk]), {"format": "xlsx"}
    ).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]][:4] == [1, "Province A", "Province", 50]
    emulation = client.get(
        reverse("indexing:emulation", args=[cycle.period.pk]), {"format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(emulation.content)).active.values)
    assert rows[-1][0].startswith("Emulation score = 70 %")


def test_compare_two_units_and_radar():
    cycle = make_cycle(3)
    run_full_cycle(cycle, [(1, 100), (0, 40), (1, 0)])
    response = _client(cycle.chair).get(
        reverse("indexing:compare", args=[cycle.period.pk]),
        {"a": cycle.provinces[0].pk, "b": cycle.provinces[1].pk},
    )
    assert response.status_code == 200
    assert "Province A — Province B" in response.content.decode()


def test_framework_import_export_and_period_opening_pages(settings):
    cycle = make_cycle(1)
    client = _client(cycle.admin)
    yaml_text = client.get(
        reverse("indexing:framework_export", args=[cycle.framework.pk, "yaml"])
    ).content
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("f.yaml", yaml_text.replace(b"version: 1", b"version: 2"))
    response = client.post(reverse("indexing:framework_import"), {"file": upload})
    assert response.status_code == 302
    again = SimpleUploadedFile("f.yaml", yaml_text)
    page = client.post(reverse("indexing:framework_import"), {"file": again}, follow=True)
    assert "already exists" in page.content.decode()
    home = client.get(reverse("indexing:home"))
    assert home.status_code == 200
    # and the framework author sees the automatic sources an indicator can name
    assert "<code>reporting_discipline</code>" in home.content.decode()
    assert "Periodic reports submitted on time (%)" in home.content.decode()
    assert (
        client.get(reverse("indexing:framework_detail", args=[cycle.framework.pk])).status_code
        == 200
    )
    opened = client.post(
        reverse("indexing:period_open", args=[cycle.framework.pk]),
        {"name": "Index 2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert opened.status_code == 302


def test_pages_speak_vietnamese(settings):
    cycle = make_cycle(2)
    run_full_cycle(cycle, [(1, 100), (0, 40)])
    client = _client(cycle.chair)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(reverse("indexing:results", args=[cycle.period.pk])).content.decode()
    assert "Bảng xếp hạng theo loại đơn vị" in page
    assert "xếp hạng kiểu thi đấu: 1, 2, 2, 4" in page
    emulation = client.get(reverse("indexing:emulation", args=[cycle.period.pk])).content.decode()
    assert "Điểm thi đua = 70 %" in emulation


@pytest.mark.parametrize("units", [2, 6])
def test_results_page_query_count_does_not_grow_with_units(units, django_assert_max_num_queries):
    # given a published period with more or fewer units, the results page costs the same queries
    cycle = make_cycle(units)
    run_full_cycle(cycle, [(1, 10 * i) for i in range(units)])
    client = _client(cycle.chair)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("indexing:results", args=[cycle.period.pk])).status_code == 200


def test_evidence_file_is_served_only_inside_the_scope():
    from django.core.files.uploadedfile import SimpleUploadedFile

    cycle = make_cycle(2)
    a = cycle.assessment(0)
    client = _client(cycle.leaders[0])
    client.post(
        reverse("indexing:assessment_action", args=[a.pk]),
        {"action": "enter", "node": cycle.node("P1").pk, "value": "1", "version": a.version,
         "evidence_file": SimpleUploadedFile("decision.pdf", b"%PDF-1.4 demo")},
    )  # fmt: skip
    entry = IndicatorValue.objects.get(assessment=a)
    url = reverse("indexing:evidence_download", args=[entry.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 demo"
    assert _client(cycle.leaders[1]).get(url).status_code == 404


def test_garbage_form_numbers_are_refused_without_a_server_error():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    response = _client(cycle.leaders[0]).post(
        reverse("indexing:assessment_action", args=[a.pk]),
        {"action": "enter", "node": "x", "value": "1", "version": "v"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose an indicator of this framework." in response.content.decode()


def test_automatic_notes_are_stored_in_english_and_shown_in_the_readers_language(settings):
    cycle = make_cycle(1)
    a = self_assess(cycle, 0, 1, 50, submit=False)
    note = IndicatorValue.objects.get(assessment=a, node__code="Q1")
    assert note.reason == "No task of this unit was due in the period."
    client = _client(cycle.leaders[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(reverse("indexing:assessment_detail", args=[a.pk])).content.decode()
    assert "Đơn vị không có nhiệm vụ nào đến hạn trong kỳ." in page
