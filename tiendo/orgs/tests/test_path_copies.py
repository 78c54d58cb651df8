"""Every table that copies a unit's path follows the unit when it moves.

Scope checks read these copies (``in_subtree(copy, path)``), so a copy left at a moved unit's
old place would show the record to the old ancestors' users and hide it from the new ones.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from tiendo.accounts.models import Role, User
from tiendo.appraisals.consultation import consultation_send
from tiendo.appraisals.kpi_services import indicator_create, indicator_report, indicator_set_target
from tiendo.appraisals.models import ConsultationRecipient
from tiendo.appraisals.models.kpi import IndicatorActual, IndicatorTarget
from tiendo.core.fields import TreePathField
from tiendo.datacatalog.models import Dataset
from tiendo.datacatalog.selectors import usable_datasets
from tiendo.datacatalog.tests.catalog_factories import make_dataset
from tiendo.orgs.models import UnitKind
from tiendo.orgs.services import unit_merge, unit_move, unit_path_copies
from tiendo.programs.models import Task
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db

# Tree paths that are not copies of a unit's path: the unit tree itself and the task groups'.
NOT_UNIT_COPIES = {("orgs", "Unit", "path"), ("programs", "TaskGroup", "path")}


def test_every_tree_path_column_is_either_a_unit_copy_or_a_known_tree() -> None:
    # A new copy of a unit path named without the ``unit_path`` ending would not be moved.
    every = {
        (m._meta.app_label, m.__name__, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if isinstance(f, TreePathField)
    }
    copies = {(m._meta.app_label, m.__name__, c) for m, c in unit_path_copies()}
    assert every - copies == NOT_UNIT_COPIES
    assert {
        ("programs", "Task", "lead_unit_path"),
        ("datacatalog", "Dataset", "owner_unit_path"),
        ("appraisals", "ConsultationRecipient", "unit_path"),
        ("appraisals", "IndicatorTarget", "unit_path"),
        ("appraisals", "IndicatorActual", "unit_path"),
    } <= copies


def _copies_agree_with_their_units() -> None:
    """Each copy equals the path of the unit its row names (``owner_unit_path`` of
    ``owner_unit``...); the coordination's lead copy is checked in test_services."""
    for model, column in unit_path_copies():
        unit_field = column.removesuffix("_path")
        if not any(f.name == unit_field for f in model._meta.concrete_fields):
            continue
        rows = model._base_manager.values_list(column, f"{unit_field}__path")
        assert rows, f"{model.__name__} has no rows to check"
        assert all(copy == path for copy, path in rows), (model.__name__, column)


def test_a_move_rewrites_the_copies_of_every_app_and_the_scope_follows() -> None:
    # given a district of province A that leads and coordinates tasks, owns a dataset, was
    # consulted and has KPI rows
    nation = make_unit(kind=UnitKind.OTHER)
    ministry = make_unit(kind=UnitKind.MINISTRY, parent=nation)
    a = make_unit(kind=UnitKind.PROVINCE, parent=nation)
    b = make_unit(kind=UnitKind.PROVINCE, parent=nation)
    district = make_unit(parent=a, kind=UnitKind.DISTRICT)
    office = make_user(unit=ministry, role=Role.STANDING_OFFICE)
    program = make_program(owner=ministry, standing_office=ministry)
    make_task(program=program, lead_unit=district)
    make_task(program=program, lead_unit=ministry, coordinating_units=[district])
    steward = make_user(unit=district, role=Role.UNIT_LEADER)
    dataset = make_dataset(actor=steward, owner=district)
    consultation_send(
        actor=office, program=program, title="Dự thảo", sender_unit=ministry,
        units=[district], sent_on=dt.date(2024, 3, 4), deadline=dt.date(2024, 3, 15),
    )  # fmt: skip
    kpi = indicator_create(
        actor=office, program=program, code="DVC", name="Dịch vụ công", unit_of_measure="%"
    )
    end = dt.date(2024, 12, 31)
    indicator_set_target(actor=office, indicator=kpi, unit=district, period_end=end, target=90)
    indicator_report(
        actor=office, indicator=kpi, unit=district, period_end=end,
        measured_on=dt.date(2024, 12, 1), value=Decimal(80),
    )  # fmt: skip
    leader_a = make_user(unit=a, role=Role.COMMITTEE_LEADER)
    leader_b = make_user(unit=b, role=Role.COMMITTEE_LEADER)
    assert usable_datasets(leader_a).filter(pk=dataset.pk).exists()
    assert not usable_datasets(leader_b).filter(pk=dataset.pk).exists()

    # when the district moves to province B
    unit_move(unit=district, new_parent=b, effective_on=dt.date(2025, 7, 1))

    # then every copy carries the new path
    district.refresh_from_db()
    assert district.path.startswith(b.path)
    _copies_agree_with_their_units()
    assert Dataset.objects.get(pk=dataset.pk).owner_unit_path == district.path
    assert ConsultationRecipient.objects.get().unit_path == district.path
    assert IndicatorTarget.objects.get().unit_path == district.path
    assert IndicatorActual.objects.get().unit_path == district.path
    # and the dataset is seen from its new province, no longer from the old one
    leader_a, leader_b = User.objects.get(pk=leader_a.pk), User.objects.get(pk=leader_b.pk)
    assert not usable_datasets(leader_a).filter(pk=dataset.pk).exists()
    assert usable_datasets(leader_b).filter(pk=dataset.pk).exists()


def test_a_merger_moves_the_copies_of_the_sub_units() -> None:
    # given a district whose commune owns a dataset
    a = make_unit(kind=UnitKind.PROVINCE)
    old = make_unit(parent=a, kind=UnitKind.DISTRICT)
    new = make_unit(parent=a, kind=UnitKind.DISTRICT)
    commune = make_unit(parent=old, kind=UnitKind.COMMUNE)
    dataset = make_dataset(actor=make_user(unit=commune, role=Role.UNIT_LEADER), owner=commune)
    # when the district is merged into its neighbour
    unit_merge(source=old, target=new, effective_on=dt.date(2025, 7, 1))
    # then the commune (now under the neighbour) and its dataset share the new path
    commune.refresh_from_db()
    assert commune.path.startswith(new.path)
    assert Dataset.objects.get(pk=dataset.pk).owner_unit_path == commune.path
    assert not Task.objects.exists()
