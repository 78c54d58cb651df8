"""The seed's toolbox: units, people and tasks written through the real services.

Nothing here writes a task, a unit or a progress report directly: every row goes through
``tiendo.orgs.services`` and ``tiendo.programs.services``, so the demo obeys the same rules
(five clears, access, deadlines, history) as data entered by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiendo.accounts.models import Role, User
from tiendo.accounts.services import membership_grant
from tiendo.core.deadlines import parse_deadline
from tiendo.orgs.models import Unit, UnitKind
from tiendo.orgs.services import unit_create
from tiendo.programs.models import Program, Task, TaskGroup, TaskKind
from tiendo.programs.services import progress_submit, task_create, task_extend_deadline

from .texts import DIFFICULTIES, OFFICER_POSITIONS, PROPOSALS, name_pool


@dataclass(frozen=True)
class UnitSpec:
    slug: str  # also the unit code and the suffix of its people's usernames
    name: str
    short_name: str
    kind: str
    parent: str | None
    head_position: str
    head: str = ""  # username of a named head; default ``lanhdao.<slug>``


@dataclass(frozen=True)
class Report:
    """One progress report; an empty narrative is written from the task's product."""

    as_of: dt.date
    percent: int
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True)
class Extension:
    deadline: str  # as officials write it: "Quý IV/2024"
    reason: str


_STEERING_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.MINISTRY, UnitKind.COMMITTEE})


def d(text: str) -> dt.date:
    """``"2024-03-31"`` -> date; keeps the data tables short."""
    return dt.date.fromisoformat(text)


def done(first: str, last: str, *, extra: Sequence[Report] = ()) -> tuple[Report, ...]:
    """Started on ``first``, half way at the middle, completed (100 %) on ``last``."""
    a, b = d(first), d(last)
    middle = a + (b - a) / 2
    return (Report(a, 30), Report(middle, 70), *extra, Report(b, 100))


def started(first: str, last: str, percent: int) -> tuple[Report, ...]:
    """Started on ``first`` and at ``percent`` on ``last`` (not completed)."""
    if first == last:
        return (Report(d(last), percent),)
    return (Report(d(first), max(5, percent // 2)), Report(d(last), percent))


def waiting(on: str, difficulties: str = "") -> tuple[Report, ...]:
    """A 0 % report: the unit answered but has not started (not "deployed")."""
    return (Report(d(on), 0, narrative="Chưa triển khai.", difficulties=difficulties),)


@dataclass
class Builder:
    password_hash: str
    # Not for security: a fixed seed makes the demo the same on every machine.
    rng: random.Random = field(default_factory=lambda: random.Random(20220729))  # noqa: S311
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    heads: dict[str, User] = field(default_factory=dict)
    officers: dict[str, User] = field(default_factory=dict)
    named: dict[str, tuple[str, str]] = field(default_factory=dict)
    actor: Any = None
    _names: Any = None

    # People ---------------------------------------------------------------------------

    def person(
        self, username: str, *, full_name: str = "", position: str = "", **extra: Any
    ) -> User:
        """A user with the demo password (hashed once for all: seeding stays fast)."""
        if username in self.users:
            return self.users[username]
        if self._names is None:
            self._names = name_pool(self.rng, taken=(name for name, _ in self.named.values()))
        if username in self.named:
            full_name, position = self.named[username]
        user = User.objects.create(
            username=username,
            password=self.password_hash,
            full_name=full_name or next(self._names),
            position=position,
            **extra,
        )
        self.users[username] = user
        return user

    def grant(self, user: User, unit_slug: str, role: str) -> None:
        membership_grant(user=user, unit_id=self.units[unit_slug].pk, role=role)

    def officer(self, slug: str) -> User:
        """The officer who carries a unit's tasks, created the first time a task needs one."""
        if slug not in self.officers:
            unit = self.units[slug]
            position = OFFICER_POSITIONS.get(unit.kind, "Chuyên viên")
            if slug.startswith("bqp."):
                position = "Trợ lý"  # the title of a staff officer in the army
            user = self.person(f"canbo.{slug}", position=f"{position}, {unit.name}")
            self.grant(user, slug, Role.UNIT_OFFICER)
            self.officers[slug] = user
        return self.officers[slug]

    # Units ----------------------------------------------------------------------------

    def add_units(self, specs: Sequence[UnitSpec], *, active_from: dt.date) -> None:
        for spec in specs:
            head = self.person(
                spec.head or f"lanhdao.{spec.slug}",
                position=f"{spec.head_position}, {spec.name}",
            )
            self.units[spec.slug] = unit_create(
                code=spec.slug,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                parent=self.units[spec.parent] if spec.parent else None,
                head=head,
                active_from=active_from,
            )
            self.heads[spec.slug] = head
            # The head of a province, a ministry or a committee leads its steering committee and
            # so sees whole programs; every other head leads a unit and sees its subtree.
            role = Role.COMMITTEE_LEADER if spec.kind in _STEERING_KINDS else Role.UNIT_LEADER
            self.grant(head, spec.slug, role)

    # Tasks ----------------------------------------------------------------------------

    def task(
        self,
        *,
        program: Program,
        group: TaskGroup | None,
        number: str,
        title: str,
        lead: str,
        deadline: str,
        product: str,
        qty: float,
        uom: str,
        history: Sequence[Report] = (),
        coord: Sequence[str] = (),
        kind: str = TaskKind.TASK,
        start: dt.date | None = None,
        extension: Extension | None = None,
        description: str = "",
    ) -> Task:
        parsed = parse_deadline(deadline)
        assignee = self.officer(lead)
        task = task_create(
            actor=self.actor,
            program=program,
            assign=True,
            coordinating_units=[self.units[c] for c in coord],
            group=group,
            number=number,
            kind=kind,
            title=title,
            description=description,
            lead_unit=self.units[lead],
            accountable_leader=self.heads[lead],
            assignee=assignee,
            start_date=start,
            deadline_kind=parsed.kind,
            deadline=parsed.due,
            product=product,
            product_quantity=Decimal(str(qty)),
            product_unit=uom,
        )
        if extension is not None:
            new = parse_deadline(extension.deadline)
            task_extend_deadline(
                actor=self.actor,
                task=task,
                version=task.version,
                deadline_kind=new.kind,
                deadline=new.due,
                reason=extension.reason,
            )
        for report in history:
            self.report(task, report, reporter=assignee, qty=qty, uom=uom)
        return task

    def report(self, task: Task, report: Report, *, reporter: User, qty: float, uom: str) -> None:
        achieved = Decimal(round(qty * report.percent / 100))
        narrative = report.narrative or self._narrative(report.percent, achieved, qty, uom)
        difficulties = report.difficulties
        proposals = report.proposals
        if 0 < report.percent < 100 and not difficulties and self.rng.random() < 0.5:
            difficulties = self.rng.choice(DIFFICULTIES)
            proposals = proposals or self.rng.choice(PROPOSALS)
        progress_submit(
            actor=reporter,
            task=task,
            as_of=report.as_of,
            percent=report.percent,
            achieved_quantity=achieved,
            narrative=narrative,
            difficulties=difficulties,
            proposals=proposals,
        )

    @staticmethod
    def _narrative(percent: int, achieved: Decimal, qty: float, uom: str) -> str:
        total = Decimal(str(qty)).normalize()
        if percent == 0:
            return "Chưa triển khai."
        if percent == 100:
            return f"Hoàn thành: đạt {achieved:f}/{total:f} {uom}; đã báo cáo kết quả bằng văn bản."
        if percent < 50:
            return (
                f"Đã ban hành kế hoạch triển khai, phân công cán bộ phụ trách; "
                f"bước đầu đạt {achieved:f}/{total:f} {uom}."
            )
        return f"Đang triển khai theo kế hoạch; lũy kế đạt {achieved:f}/{total:f} {uom}."
