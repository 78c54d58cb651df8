"""``tiendo seed-index-demo``: the example DTI 2022 framework with a full, published cycle.

Two periods are run on the framework, "DTI 2021 (demo)" and "DTI 2022 (demo)" (whose previous
period is the first, so the results show the change). Idempotent: the framework is loaded once,
each period is created once, and published periods are left as they are. Independent: it scores the open units of
kind province (or department when there is no province), and creates five demo provinces when
there are fewer than three such units. Values are deterministic (seeded by unit code).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tiendo.accounts.models import User
from tiendo.indexing import io, selectors, services
from tiendo.indexing.methods import Method
from tiendo.indexing.models import Assessment, Framework, FrameworkNode, Period, PeriodState
from tiendo.orgs.models import Unit, UnitKind
from tiendo.orgs.scope import scope_for
from tiendo.orgs.services import unit_create

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "dti_province_2022.yaml"
PERIOD_NAME = "DTI 2022 (demo)"
PREVIOUS_NAME = "DTI 2021 (demo)"
MAX_UNITS = 30


def _actor() -> User:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        admin = User.objects.create_superuser(username="index-demo", password=None, email="")
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
    return admin


def _units() -> list[Unit]:
    for kind in (UnitKind.PROVINCE, UnitKind.DEPARTMENT):
        units = list(
            Unit.objects.filter(kind=kind, closed_on__isnull=True).order_by("path")[:MAX_UNITS]
        )
        if len(units) >= 3:
            return units
    created = []
    for i, name in enumerate(["Tỉnh Sông Xanh", "Tỉnh Núi Biếc", "Tỉnh Đồng Vàng", "Tỉnh Biển Bạc",
                              "Tỉnh Cao Nguyên"], start=1):  # fmt: skip
        unit = Unit.objects.filter(code=f"IDX-DEMO-{i}").first()
        created.append(unit or unit_create(code=f"IDX-DEMO-{i}", name=name, kind=UnitKind.PROVINCE))
    return created


def _value(node: FrameworkNode, rng: random.Random, strength: float) -> float:
    if node.method == Method.YES_NO:
        return 1.0 if rng.random() < 0.55 + 0.4 * strength else 0.0
    if node.method == Method.BANDS:
        top = max(float(b["min"]) for b in node.params["bands"])
        return float(round(rng.uniform(0, 1.4 * top * (0.5 + strength))))
    if node.method == Method.RATIO and node.params.get("lower_is_better"):
        return float(rng.randint(0, 3))
    if node.measure == "%":
        target = float(node.params.get("target", 100))
        return round(min(100.0, rng.uniform(0.3, 1.1) * target * (0.6 + 0.4 * strength)), 1)
    return round(rng.uniform(1, 50) * (0.5 + strength), 1)


class Command(BaseCommand):
    help = "Load the example DTI 2022 framework and run a full published cycle for the demo units."

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor()
        framework = Framework.objects.filter(code="dti-province", version=2022).first()
        if framework is None:
            framework = services.framework_import(
                spec=io.from_yaml(FIXTURE.read_text()), actor=actor
            )
            self.stdout.write(f"Framework loaded: {framework}")
        period = Period.objects.filter(framework=framework, name=PERIOD_NAME).first()
        if period is not None and period.state == PeriodState.PUBLISHED:
            self.stdout.write(f"Already published: {period} (nothing to do)")
            return
        with transaction.atomic():
            units = _units()
            # The year before, on the same framework, so that the demo shows the change.
            previous = Period.objects.filter(framework=framework, name=PREVIOUS_NAME).first()
            if previous is None:
                previous = services.period_open(
                    framework=framework, name=PREVIOUS_NAME, starts_on=dt.date(2021, 1, 1),
                    ends_on=dt.date(2021, 12, 31), units=units, actor=actor,
                )  # fmt: skip
                self._run(previous, actor, seed="2021")
            if period is None:
                period = services.period_open(
                    framework=framework, name=PERIOD_NAME, starts_on=dt.date(2022, 1, 1),
                    ends_on=dt.date(2022, 12, 31), units=units, actor=actor, previous=previous,
                )  # fmt: skip
            self._run(period, actor, seed="2022")
        rows = selectors.league_table(scope_for(actor), period)
        self.stdout.write(f"Published {period} for {len(rows)} units:")
        for row in rows[:10]:
            self.stdout.write(
                f"  {row.rank:>3}. {row.unit.name}: {row.total:.2f} / {row.scale:.0f}"
            )

    def _run(self, period: Period, actor: User, *, seed: str) -> None:
        nodes = [n for n in FrameworkNode.objects.filter(framework=period.framework) if n.is_manual]
        adjust_node = next(n for n in nodes if n.measure == "%")
        for i, assessment in enumerate(
            Assessment.objects.filter(period=period).select_related("unit")
        ):
            rng = random.Random(f"{seed}:{assessment.unit.code}")  # noqa: S311 - demo figures
            strength = rng.random()
            if assessment.state in services.EDITABLE:
                values = {
                    n: (_value(n, rng, strength), "Demo evidence: report of the unit")
                    for n in nodes
                }
                services.values_enter_many(assessment=assessment, values=values, actor=actor,
                                           version=assessment.version)  # fmt: skip
                services.assessment_refresh_automatic(assessment=assessment, actor=actor)
                services.assessment_submit(
                    assessment=assessment, actor=actor, version=assessment.version
                )
            if i % 2 == 0:
                current = selectors.current_values(assessment)[adjust_node.pk].value or 0
                services.value_adjust(
                    assessment=assessment, node=adjust_node, value=round(current * 0.8, 1),
                    reason="Demo: the evidence supports 80 % of the declared figure",
                    actor=actor, version=assessment.version,
                )  # fmt: skip
            services.assessment_verify(
                assessment=assessment, actor=actor, version=assessment.version
            )
        period.refresh_from_db()
        services.period_approve(period=period, actor=actor, version=period.version)
        services.period_publish(period=period, actor=actor, version=period.version)
