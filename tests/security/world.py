"""The world of the authorization tests, built once per module through the real services.

Home: a province (committee leader, auditor, administrator role) owning a program whose standing
office is a department; department A (unit leader, officer, reviewer, viewer) leads the tasks;
department B is "another unit" with its own draft report. An index cycle assesses two provinces
(the home province and a neighbour). Outside: another province with its own committee leader,
officer and program: it must see nothing of the home records.

Every home record carries the marker ``ZZQX`` in a visible text, so "never in a list/export" is a
plain substring check on the answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tiendo.accounts.models import ApiToken, Role, User
from tiendo.accounts.services import api_token_create
from tiendo.appraisals.consultation import consultation_send
from tiendo.appraisals.kpi_services import indicator_create, indicator_report, indicator_set_target
from tiendo.core.models import Classification
from tiendo.datacatalog import services as catalog_services
from tiendo.datacatalog.ingest import RowSource
from tiendo.datacatalog.services_warehouse import publication_create
from tiendo.imports.services import batch_create
from tiendo.imports.tests.annexes import xlsx_annex
from tiendo.indexing import io as index_io
from tiendo.indexing import services as index_services
from tiendo.indexing.models import Assessment, IndicatorValue
from tiendo.indexing.tests.builders import SMALL_YAML
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Evidence, Program, Task
from tiendo.programs.services import group_create, progress_submit
from tiendo.programs.tests.factories import make_admin, make_program, make_task, make_unit
from tiendo.programs.tests.factories import make_user as _make_user
from tiendo.reminders.models import Notification
from tiendo.reminders.services import task_urge
from tiendo.reporting.models import DueRule, Frequency, UnitReport
from tiendo.reporting.services import period_open, report_consolidate, schedule_create

MARK = "ZZQX"
PASSWORD = "a-Long-passw0rd"
# Roles of the matrix, in the order of the brief; "anonymous" has no user.
ROLES = (
    "committee_leader",
    "standing_office",
    "unit_leader",
    "unit_officer",
    "reviewer",
    "viewer",
    "auditor",
    "administrator",
    "anonymous",
    "other_province",
)


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, Any]
    program: Program
    task: Task  # dept A, in progress, with evidence
    task_b: Task  # dept B
    classified: Task  # dept A, SECRET: above everyone's clearance except the administrator
    outside_task: Task
    report_b: UnitReport  # dept B's draft report of the first quarter
    report_a: UnitReport
    assessment_neighbour: Assessment  # the other province's self-assessment
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token secret

    def user(self, role: str) -> User | None:
        return self.users[role]


def make_user(username: str, *, unit: Unit, role: str, **fields: Any) -> User:
    return _make_user(username, unit=unit, role=role, **fields)


def build_world() -> World:
    admin = make_admin()
    province = make_unit(f"Home province {MARK}", kind=UnitKind.PROVINCE)
    dept_a = make_unit(f"Department A {MARK}", parent=province)
    dept_b = make_unit(f"Department B {MARK}", parent=province)
    office_unit = make_unit(f"Standing office {MARK}", parent=province)
    neighbour = make_unit("Neighbour province", kind=UnitKind.PROVINCE)
    committee = make_unit("Index committee", kind=UnitKind.COMMITTEE)
    other = make_unit("Other province", kind=UnitKind.PROVINCE)
    other_dept = make_unit("Other department", parent=other)

    users: dict[str, User | None] = {
        "committee_leader": make_user("chair", unit=province, role=Role.COMMITTEE_LEADER),
        "standing_office": make_user("office", unit=office_unit, role=Role.STANDING_OFFICE),
        "unit_leader": make_user("leader_a", unit=dept_a, role=Role.UNIT_LEADER),
        "unit_officer": make_user("officer_a", unit=dept_a, role=Role.UNIT_OFFICER),
        "reviewer": make_user("reviewer", unit=dept_a, role=Role.REVIEWER),
        "viewer": make_user("viewer", unit=dept_a, role=Role.VIEWER),
        "auditor": make_user("auditor", unit=province, role=Role.AUDITOR),
        "administrator": make_user(
            "sysadmin", unit=province, role=Role.ADMINISTRATOR, clearance=Classification.SECRET
        ),
        "anonymous": None,
        "other_province": make_user("outsider", unit=other, role=Role.COMMITTEE_LEADER),
    }
    office = users["standing_office"]
    officer = users["unit_officer"]
    assert office is not None
    assert officer is not None

    program = make_program(
        owner=province,
        actor=admin,
        standing_office=office_unit,
        name=f"Home program {MARK}",
        start_year=2025,
    )
    group = group_create(actor=admin, program=program, name=f"Group {MARK}", number="I")
    task = make_task(
        program=program, lead_unit=dept_a, actor=admin, group=group, assignee=officer,
        accountable_leader=users["unit_leader"], title=f"Digitise records {MARK}",
    )  # fmt: skip
    task_b = make_task(
        program=program, lead_unit=dept_b, actor=admin, title=f"Department B work {MARK}"
    )
    classified = make_task(
        program=program,
        lead_unit=dept_a,
        actor=admin,
        assignee=officer,
        title=f"Classified plan {MARK}",
        classification=Classification.SECRET,
    )
    progress_submit(
        actor=officer,
        task=task,
        as_of=dt.date(2025, 3, 1),
        percent=40,
        achieved_quantity=Decimal(8),
        narrative=f"Progress {MARK}",
        files=[SimpleUploadedFile("minutes.txt", f"minutes {MARK}".encode(), "text/plain")],
    )
    evidence = Evidence.objects.get(update__task=task)

    schedule = schedule_create(
        actor=office,
        program=program,
        name=f"Quarterly report {MARK}",
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.WORKING_DAYS_AFTER_END,
        due_value=5,
        units=[dept_a, dept_b],
    )
    period = period_open(actor=office, schedule=schedule, day=dt.date(2025, 2, 10))
    report_a = UnitReport.objects.get(period=period, unit=dept_a)
    report_b = UnitReport.objects.get(period=period, unit=dept_b)
    consolidated = report_consolidate(actor=office, period=period)

    batch = batch_create(
        actor=office,
        program=program,
        filename="annex.xlsx",
        content=xlsx_annex([["1", f"Imported task {MARK}", "Department A", "2030-12-31"]]),
    )
    consultation = consultation_send(
        actor=office,
        program=program,
        title=f"Draft decision {MARK}",
        sender_unit=office_unit,
        units=[dept_a, dept_b],
        sent_on=dt.date(2025, 3, 1),
        deadline=dt.date(2025, 3, 15),
    )
    indicator = indicator_create(
        actor=office, program=program, code="KPI1", name=f"Online services {MARK}",
        unit_of_measure="services",
    )  # fmt: skip
    indicator_set_target(
        actor=office, indicator=indicator, unit=dept_a, period_end=dt.date(2025, 12, 31),
        target=Decimal(10),
    )  # fmt: skip
    kpi_value = indicator_report(
        actor=officer, indicator=indicator, unit=dept_a, period_end=dt.date(2025, 12, 31),
        measured_on=dt.date(2025, 3, 1), value=Decimal(4), source=f"Portal {MARK}",
        evidence=SimpleUploadedFile("count.txt", f"count {MARK}".encode(), "text/plain"),
    )  # fmt: skip
    task_urge(actor=office, task=task, note=f"Please report {MARK}")
    dataset, measure = _home_dataset(officer, dept_a)
    publication_create(actor=officer, dataset=dataset)  # the SQL console's home table
    notification = Notification.objects.filter(recipient=officer).first()
    assert notification is not None

    # The index cycle: the home province and a neighbour assess themselves.
    chair_ix = make_user("index_chair", unit=committee, role=Role.COMMITTEE_LEADER)
    make_user("index_reviewer", unit=committee, role=Role.REVIEWER)
    neighbour_leader = make_user("neighbour_leader", unit=neighbour, role=Role.UNIT_LEADER)
    framework = index_services.framework_import(spec=index_io.from_yaml(SMALL_YAML), actor=admin)
    ix_period = index_services.period_open(
        framework=framework,
        name="Index 2025",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        committee=committee,
        actor=chair_ix,
        units=[province, neighbour],
    )
    assessment_home = Assessment.objects.get(period=ix_period, unit=province)
    assessment_neighbour = Assessment.objects.get(period=ix_period, unit=neighbour)
    node = framework.nodes.get(code="P1")
    index_services.value_enter(
        assessment=assessment_neighbour, node=node, value=1, actor=neighbour_leader,
        version=assessment_neighbour.version, evidence_note="Neighbour decision",
    )  # fmt: skip
    value = IndicatorValue.objects.filter(assessment=assessment_neighbour).first()
    assert value is not None

    other_program = make_program(owner=other, actor=admin, name="Other program")
    outside_task = make_task(
        program=other_program, lead_unit=other_dept, actor=admin, title="Outside task"
    )
    token_row: ApiToken = api_token_create(user=officer, name=f"Token {MARK}")[0]

    ids = {
        "program": program.pk,
        "group": group.pk,
        "task": task.pk,
        "task_b": task_b.pk,
        "classified": classified.pk,
        "evidence": evidence.pk,
        "unit": dept_a.pk,
        "province": province.pk,
        "schedule": schedule.pk,
        "period": period.pk,
        "report_a": report_a.pk,
        "report_b": report_b.pk,
        "consolidated": consolidated.pk,
        "batch": batch.pk,
        "notification": notification.pk,
        "round": consultation.pk,
        "indicator": indicator.pk,
        "kpi_value": kpi_value.pk,
        "token": token_row.pk,
        "dataset": dataset.code,
        "measure": measure.pk,
        "dataset_pk": dataset.pk,
        "framework": framework.pk,
        "ix_period": ix_period.pk,
        "assessment": assessment_home.pk,
        "assessment_neighbour": assessment_neighbour.pk,
        "value": value.pk,
        "neighbour": neighbour.pk,
        "code": "P1",
        "year": 2025,
    }
    world = World(
        users=users,
        ids=ids,
        program=program,
        task=task,
        task_b=task_b,
        classified=classified,
        outside_task=outside_task,
        report_b=report_b,
        report_a=report_a,
        assessment_neighbour=assessment_neighbour,
    )
    for role, user in users.items():
        if user is not None:
            world.tokens[role] = api_token_create(user=user, name="matrix")[1]
    # Not a role of the matrix: the fuzz run uses it to reach the index committee's operations.
    world.tokens["index_chair"] = api_token_create(user=chair_ix, name="fuzz")[1]
    return world


def _home_dataset(officer: User, unit: Unit) -> tuple[Any, Any]:
    """A dataset of department A with one version and one failing quality rule."""
    dataset = catalog_services.dataset_create(
        actor=officer, owner_unit=unit, code="home-data", name=f"Dataset {MARK}"
    )
    version = catalog_services.version_ingest(
        actor=officer,
        dataset=dataset,
        source=RowSource(header=["ma"], rows=iter([[f"row {MARK}"]])),
        source_kind="upload",
        source_description=f"{MARK}.csv",
    )
    catalog_services.quality_store(
        version=version,
        measures=[
            catalog_services.MeasureInput(
                dimension="complete",
                rule=f"rule {MARK}",
                checked=1,
                failed=1,
                sample=({"ma": f"row {MARK}"},),
            )
        ],
    )
    return dataset, version.quality.get()
