"""Builders for index tests: a small framework, provinces and the people of a cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tiendo.accounts.models import Role, User
from tiendo.indexing import io, services
from tiendo.indexing.models import Assessment, Framework, FrameworkNode, Period
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.tests.factories import make_admin, make_unit, make_user

SMALL_YAML = """
code: small
version: 1
name: Small index
name_vi: Chỉ số nhỏ
unit_kinds: [province]
root:
  code: T
  name: Total
  max_points: 100
  children:
  - code: P
    name: Policy
    max_points: 50
    children:
    - {code: P1, name: Plan issued, method: yes_no, max_points: 20}
    - {code: P2, name: Online services, method: ratio, measure: "%", max_points: 30}
  - code: Q
    name: Performance
    max_points: 50
    children:
    - {code: Q1, name: Tasks on time, method: ratio, source: tasks_on_time_share, measure: "%", max_points: 50}
"""


@dataclass
class Cycle:
    admin: User
    committee_unit: Unit
    chair: User
    reviewer: User
    framework: Framework
    period: Period
    provinces: list[Unit]
    leaders: list[User]

    def assessment(self, i: int) -> Assessment:
        return Assessment.objects.get(period=self.period, unit=self.provinces[i])

    def node(self, code: str) -> FrameworkNode:
        return FrameworkNode.objects.get(framework=self.framework, code=code)


def make_cycle(n: int = 3, **period_fields: Any) -> Cycle:
    admin = make_admin()
    committee_unit = make_unit("Committee", kind=UnitKind.COMMITTEE)
    chair = make_user(unit=committee_unit, role=Role.COMMITTEE_LEADER)
    reviewer = make_user(unit=committee_unit, role=Role.REVIEWER)
    provinces = [make_unit(f"Province {chr(65 + i)}", kind=UnitKind.PROVINCE) for i in range(n)]
    leaders = [make_user(unit=p, role=Role.UNIT_LEADER) for p in provinces]
    framework = services.framework_import(spec=io.from_yaml(SMALL_YAML), actor=admin)
    period = services.period_open(
        framework=framework,
        name="Index 2025",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        committee=committee_unit,
        actor=chair,
        units=provinces,
        **period_fields,
    )
    return Cycle(admin, committee_unit, chair, reviewer, framework, period, provinces, leaders)


def self_assess(cycle: Cycle, i: int, p1: float, p2: float, *, submit: bool = True) -> Assessment:
    a = cycle.assessment(i)
    services.value_enter(assessment=a, node=cycle.node("P1"), value=p1, actor=cycle.leaders[i],
                         version=a.version, evidence_note="Decision 1/QĐ")  # fmt: skip
    services.value_enter(assessment=a, node=cycle.node("P2"), value=p2, actor=cycle.leaders[i],
                         version=a.version, evidence_note="Portal statistics")  # fmt: skip
    services.assessment_refresh_automatic(assessment=a, actor=cycle.leaders[i])
    if submit:
        services.assessment_submit(assessment=a, actor=cycle.leaders[i], version=a.version)
    return a


def run_full_cycle(cycle: Cycle, values: list[tuple[float, float]]) -> None:
    for i, (p1, p2) in enumerate(values):
        a = self_assess(cycle, i, p1, p2)
        services.assessment_verify(assessment=a, actor=cycle.reviewer, version=a.version)
    cycle.period.refresh_from_db()
    services.period_approve(period=cycle.period, actor=cycle.chair, version=cycle.period.version)
    services.period_publish(period=cycle.period, actor=cycle.chair, version=cycle.period.version)
