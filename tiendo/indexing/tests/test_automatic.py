"""The registry of automatic sources: how another app adds one, and what it refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import modify_settings

from tiendo.accounts.models import Role
from tiendo.indexing import automatic, io, services
from tiendo.indexing.automatic import AutoValue, register_source
from tiendo.indexing.models import Assessment, ValueKind
from tiendo.indexing.tests.builders import SMALL_YAML, make_cycle
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Program
from tiendo.programs.tests.factories import make_admin, make_program, make_unit, make_user

pytestmark = pytest.mark.django_db


def programs_owned(unit: Any, period: Any) -> AutoValue:
    """Like a catalogue source: records of another model (programs), not tasks."""
    ids = sorted(Program.objects.filter(owner_unit=unit).values_list("pk", flat=True))
    return AutoValue(float(len(ids)), ids)


@pytest.fixture
def extra_source() -> Iterator[str]:
    register_source("test_programs_owned", "Programs owned", record_url="programs:program_detail")(
        programs_owned
    )
    yield "test_programs_owned"
    automatic.unregister_source("test_programs_owned")


def test_a_source_registered_by_another_app_is_imported_computed_and_linked(client, extra_source):
    # given a framework version whose indicator Q1 uses the new source, and a province owning
    # one program
    cycle = make_cycle(1)
    yaml = SMALL_YAML.replace("version: 1", "version: 2").replace(
        "source: tasks_on_time_share", f"source: {extra_source}"
    )
    framework = services.framework_import(spec=io.from_yaml(yaml), actor=cycle.admin)
    assert framework.nodes.get(code="Q1").source == extra_source
    program = make_program(owner=cycle.provinces[0], actor=cycle.admin)
    cycle.framework.nodes.filter(code="Q1").update(source=extra_source)
    # when the unit recomputes its automatic indicators
    a = cycle.assessment(0)
    (value,) = services.assessment_refresh_automatic(assessment=a, actor=cycle.leaders[0])
    # then the value and its records come from the registered function
    assert (value.kind, value.value, value.records) == (ValueKind.AUTOMATIC, 1.0, [program.pk])
    # and the assessment page links the record to the program page, not to a task page
    client.force_login(cycle.leaders[0])
    page = client.get(f"/index/assessments/{a.pk}/").content.decode()
    assert f'href="/programs/{program.pk}/"' in page


def test_registered_sources_lists_the_built_in_sources():
    names = {s.name: s for s in automatic.registered_sources()}
    assert {
        "tasks_on_time_share", "tasks_overdue_share", "products_delivered_share",
        "reporting_discipline",
    } <= set(names)  # fmt: skip
    assert not any(names[n].placeholder for n in names if not n.startswith("test_"))
    assert names["reporting_discipline"].record_url == "reporting:period"
    assert str(automatic.source_label("tasks_on_time_share")).startswith("Share of tasks")


def test_a_taken_name_is_refused_but_a_placeholder_can_be_replaced():
    def other(unit: Any, period: Any) -> AutoValue:
        return AutoValue(1.0)

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_source("tasks_on_time_share", "Another")(other)
    with pytest.raises(ImproperlyConfigured, match="lower-case"):
        register_source("Bad name!", "Bad")(other)
    automatic.register_placeholder("test_later", "Later", "Not yet.")
    assert automatic.compute_source("test_later", None, None) == AutoValue(None, [], "Not yet.")
    register_source("test_later", "Later")(other)
    assert automatic.compute_source("test_later", None, None).value == 1.0
    automatic.unregister_source("test_later")


def test_an_unknown_source_is_refused_at_import_naming_the_node():
    yaml = SMALL_YAML.replace("source: tasks_on_time_share", "source: no_such_source")
    with pytest.raises(ValidationError, match=r"Node “Q1”: unknown automatic source “no_such_s"):
        io.from_yaml(yaml)


def test_an_apps_index_sources_module_is_discovered_at_start_up():
    assert automatic.get_source("test_discovered") is None
    try:
        # Installing an app re-runs every AppConfig.ready, as at start-up.
        with modify_settings(INSTALLED_APPS={"append": "tiendo.indexing.tests.sourceapp"}):
            info = automatic.get_source("test_discovered")
            assert info is not None
            assert info.record_url == "programs:program_detail"
            assert automatic.compute_source("test_discovered", None, None).value == 42.0
    finally:
        automatic.unregister_source("test_discovered")


DISCIPLINE_YAML = """
code: discipline
version: 1
name: Reporting discipline
unit_kinds: [province]
root:
  code: T
  name: Total
  max_points: 10
  children:
  - {code: R, name: Reports on time, method: ratio, source: reporting_discipline, max_points: 10}
"""


def test_reporting_discipline_counts_the_units_obligations_and_lists_the_periods(client):
    from tiendo.reporting.models import UnitReport
    from tiendo.reporting.services import report_submit, report_update
    from tiendo.reporting.tests.builders import make_unit, make_world, open_q1
    from tiendo.reporting.tests.test_selectors import at

    # given Q1 2025 of a quarterly report due on 8 April, obliging three departments of the
    # province: A sends on the due day, B the day after, C never
    w = make_world()
    dept_c = make_unit("Department C", parent=w.province)
    w.schedule.units.add(dept_c)
    q1 = open_q1(w)
    for unit, officer, day in ((w.dept_a, w.officer_a, 8), (w.dept_b, w.officer_b, 9)):
        draft = UnitReport.objects.get(period=q1, unit=unit, version=1)
        draft = report_update(actor=officer, report=draft, edit_version=None, results="done")
        sent = report_submit(actor=officer, report=draft)
        UnitReport.objects.filter(pk=sent.pk).update(submitted_at=at(dt.date(2025, 4, day)))
    # and an index period of 2025 for the province
    committee = make_unit("Committee", kind=UnitKind.COMMITTEE)
    chair = make_user(unit=committee, role=Role.COMMITTEE_LEADER)
    leader = make_user(unit=w.province, role=Role.UNIT_LEADER)
    framework = services.framework_import(spec=io.from_yaml(DISCIPLINE_YAML), actor=w.admin)
    Unit.objects.filter(pk=w.province.pk).update(kind=UnitKind.PROVINCE)
    period = services.period_open(framework=framework, name="2025", committee=committee,
                                  starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
                                  actor=chair, units=[w.province])  # fmt: skip
    a = Assessment.objects.get(period=period, unit=w.province)
    # when the province recomputes its automatic indicators
    (value,) = services.assessment_refresh_automatic(assessment=a, actor=leader)
    # then one of its three obligations was met on time, and the record is the reporting period
    assert (value.value, value.records) == (pytest.approx(33.3333), [q1.pk])
    # and department A alone, sent on the due day, is at 100 %
    assert automatic.compute_source("reporting_discipline", w.dept_a, period).value == 100
    # and the assessment page links the record to the reporting period's page
    client.force_login(leader)
    page = client.get(f"/index/assessments/{a.pk}/").content.decode()
    assert f'href="/reports/periods/{q1.pk}/"' in page


def test_reporting_discipline_is_missing_when_nothing_was_due():
    from tiendo.reporting.tests.builders import make_world, open_q1

    # given Q1 2025 due in April, which neither department sent
    w = make_world()
    q1 = open_q1(w)
    cycle = make_cycle(1)  # an index period of 2025
    # then in 2025 both obligations were missed, and in 2024 nothing was due
    in_2025 = automatic.compute_source("reporting_discipline", w.province, cycle.period)
    assert (in_2025.value, in_2025.records) == (0, [q1.pk])
    cycle.period.starts_on, cycle.period.ends_on = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    in_2024 = automatic.compute_source("reporting_discipline", w.province, cycle.period)
    assert (in_2024.value, in_2024.records) == (None, [])
    assert in_2024.note == "No periodic report of this unit was due in the period."


def test_the_2025_sample_takes_digital_data_from_the_catalogue(client, settings, tmp_path):
    from pathlib import Path

    from django.urls import reverse

    from tiendo.datacatalog.services_warehouse import publication_create
    from tiendo.datacatalog.tests.catalog_factories import make_dataset, upload, write_csv

    # given a province whose department keeps two planned databases in the catalogue: one built
    # and published to the warehouse, one not built yet
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    admin = make_admin()
    province = make_unit("Tỉnh A", kind=UnitKind.PROVINCE)
    dept = make_unit("Sở TN&MT", parent=province)
    officer = make_user(unit=dept, role=Role.UNIT_OFFICER)
    leader = make_user(unit=province, role=Role.UNIT_LEADER)
    built = make_dataset(actor=officer, owner=dept, code="dat-dai", update_frequency="yearly")
    csv = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n001,An,1990-01-02,1\n"
    upload(officer, built, write_csv(Path(tmp_path) / "a.csv", csv))
    publication_create(actor=officer, dataset=built)
    planned = make_dataset(actor=officer, owner=dept, code="khoang-san")
    # and a period of this year's index on the 2025 sample framework
    committee = make_unit("Committee", kind=UnitKind.COMMITTEE)
    chair = make_user(unit=committee, role=Role.COMMITTEE_LEADER)
    sample = Path(__file__).resolve().parent.parent / "fixtures" / "dti_province_2025_sample.yaml"
    framework = services.framework_import(spec=io.from_yaml(sample.read_text()), actor=admin)
    year = dt.date.today().year
    period = services.period_open(framework=framework, name=f"DTI {year}", committee=committee,
                                  starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31),
                                  actor=chair, units=[province])  # fmt: skip
    a = Assessment.objects.get(period=period, unit=province)
    # when the province recomputes its automatic indicators
    values = {
        v.node.code: v for v in services.assessment_refresh_automatic(assessment=a, actor=leader)
    }
    # then half of its planned databases are built, and all of the built ones are published,
    # each value listing the datasets behind it
    assert (values["C2"].value, sorted(values["C2"].records)) == (
        50,
        sorted([built.pk, planned.pk]),
    )
    assert (values["C4"].value, values["C4"].records) == (100, [built.pk])
    # and the assessment page links those records to the datasets
    client.force_login(leader)
    page = client.get(f"/index/assessments/{a.pk}/").content.decode()
    assert f'href="{reverse("datacatalog:dataset_by_id", args=[built.pk])}"' in page
