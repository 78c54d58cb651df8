"""The registry of automatic sources: how another app adds one, and what it refuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import modify_settings

from tiendo.indexing import automatic, io, services
from tiendo.indexing.automatic import AutoValue, register_source
from tiendo.indexing.models import ValueKind
from tiendo.indexing.tests.builders import SMALL_YAML, make_cycle
from tiendo.programs.models import Program
from tiendo.programs.tests.factories import make_program

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


def test_registered_sources_lists_built_in_sources_and_the_placeholder():
    names = {s.name: s for s in automatic.registered_sources()}
    assert {"tasks_on_time_share", "tasks_overdue_share", "products_delivered_share"} <= set(names)
    assert names["reporting_discipline"].placeholder
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
