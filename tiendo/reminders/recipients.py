"""Who receives a reminder about a task, level by level, resolved for many tasks in few queries.

Level 0  assignee (the accountable leader when nobody is assigned)
Level 1  unit leader: the task's accountable leader, the lead unit's head and its UNIT_LEADER members
Level 2  standing office: STANDING_OFFICE members and head of ``Program.standing_office``
         (of the owner unit when the program names no standing office)
Level 3  committee leader: COMMITTEE_LEADER members and head of ``Program.owner_unit``

When a level has nobody, the reminder goes to the next level up, so an escalation is never lost.
A person receives a reminder only if their clearance lets them see the task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tiendo.accounts.models import Membership, Role, User
from tiendo.orgs.models import Unit
from tiendo.programs.models import Task

from .models import EmailMode, Level, NotificationPreference

LEVEL_ROLES = {
    Level.UNIT_LEADER: Role.UNIT_LEADER,
    Level.STANDING_OFFICE: Role.STANDING_OFFICE,
    Level.COMMITTEE_LEADER: Role.COMMITTEE_LEADER,
}
# Task columns the resolver needs; callers load tasks with ``.only(*TASK_FIELDS)``.
TASK_FIELDS = (
    "id",
    "title",
    "number",
    "deadline",
    "deadline_kind",
    "classification",
    "assignee_id",
    "accountable_leader_id",
    "lead_unit_id",
    "program_id",
    "program__classification",
    "program__standing_office_id",
    "program__owner_unit_id",
)


@dataclass
class Directory:
    """People of the units involved in a batch of tasks."""

    by_unit_role: dict[tuple[int, str], set[int]]
    heads: dict[int, int]
    users: dict[int, User]
    email_modes: dict[int, str]  # users with a saved preference; the others get the default

    def wants_email(self, user_id: int) -> bool:
        """Whether a notification to this person is ever to be emailed (decided at insert)."""
        user = self.users[user_id]
        return bool(user.email) and self.email_modes.get(user_id) != EmailMode.NONE

    def unit_people(self, unit_id: int | None, role: str) -> set[int]:
        if unit_id is None:
            return set()
        people = set(self.by_unit_role.get((unit_id, role), set()))
        if self.heads.get(unit_id):
            people.add(self.heads[unit_id])
        return people


def _level_unit(task: Task, level: int) -> int | None:
    if level == Level.UNIT_LEADER:
        return task.lead_unit_id
    if level == Level.STANDING_OFFICE:
        return task.program.standing_office_id or task.program.owner_unit_id
    return task.program.owner_unit_id


def directory_for(tasks: Iterable[Task]) -> Directory:
    tasks = list(tasks)
    unit_ids = {
        unit_id
        for task in tasks
        for unit_id in (
            task.lead_unit_id,
            task.program.standing_office_id,
            task.program.owner_unit_id,
        )
        if unit_id is not None
    }
    by_unit_role: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, role, user_id in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=list(LEVEL_ROLES.values()), user__is_active=True
    ).values_list("unit_id", "role", "user_id"):
        by_unit_role[(unit_id, role)].add(user_id)
    heads = dict(
        Unit.objects.filter(pk__in=unit_ids, head__isnull=False).values_list("pk", "head_id")
    )
    user_ids = {uid for people in by_unit_role.values() for uid in people} | set(heads.values())
    for task in tasks:
        user_ids.update(u for u in (task.assignee_id, task.accountable_leader_id) if u)
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=user_ids, is_active=True).only(
            "id", "username", "full_name", "email", "language", "clearance", "is_active"
        )
    }
    email_modes = dict(
        NotificationPreference.objects.filter(user_id__in=list(users)).values_list(
            "user_id", "email_mode"
        )
    )
    return Directory(by_unit_role, heads, users, email_modes)


def level_recipients(task: Task, level: int, directory: Directory) -> set[int]:
    """People at exactly ``level`` for ``task`` (possibly nobody)."""
    if level == Level.ASSIGNEE:
        person = task.assignee_id or task.accountable_leader_id
        return {person} if person else set()
    people = directory.unit_people(_level_unit(task, level), LEVEL_ROLES[Level(level)])
    if level == Level.UNIT_LEADER and task.accountable_leader_id:
        people.add(task.accountable_leader_id)
    return people


def recipients(task: Task, level: int, directory: Directory) -> dict[int, int]:
    """user id -> the level they receive the reminder at: the assignee, plus ``level``'s people.

    An empty level passes the reminder to the next one up. A user without clearance for the
    task, or inactive, is left out.
    """
    chosen: dict[int, int] = dict.fromkeys(level_recipients(task, Level.ASSIGNEE, directory), 0)
    reached = level
    while reached > Level.ASSIGNEE:
        people = level_recipients(task, reached, directory)
        if people or reached == Level.COMMITTEE_LEADER:
            chosen.update(dict.fromkeys(people, reached))
            break
        reached += 1
    needed = max(task.classification, task.program.classification)
    return {
        uid: lvl
        for uid, lvl in chosen.items()
        if uid in directory.users and directory.users[uid].clearance >= needed
    }
