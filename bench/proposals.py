"""A proposed rewrite of the task visibility rule, measured beside the current one.

Not used by the app: ``tiendo/programs/selectors.py`` belongs to the lead. ``bench.run
--proposals`` adds cases that run the task list and the status counts through
``proposed_visible_tasks`` so that the effect of the change is measured on the same data
(see RESULTS.md for the numbers and the reasoning).

Why: the current rule ORs an ``EXISTS (coordination ...)`` and a join through the program to
its owner unit's path with the indexed task columns. PostgreSQL cannot combine an ``EXISTS`` or
a joined table's column in a ``BitmapOr``, so for any non-admin it reads the whole task table
(1M rows) and tests each row. Written as ``column = ANY(ARRAY(subquery))``, each branch is an
indexed condition on the task table: the two small subqueries run once (InitPlans), then one
``BitmapOr`` of five index scans fetches only the rows in reach.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program, Task, TaskCoordination
from tiendo.programs.selectors import visible_tasks


def _in_array(field: str, subquery: QuerySet[Any]) -> Q:
    """``field = ANY(ARRAY(subquery))`` on PostgreSQL: an index condition, unlike ``EXISTS``."""
    from django.contrib.postgres.expressions import ArraySubquery

    return Q(
        Func(
            F(field),
            ArraySubquery(subquery),
            template="(%(expressions)s))",
            arg_joiner=" = ANY(",
            output_field=BooleanField(),
        )
    )


def proposed_visibility_q(scope: Scope) -> Q:
    cleared = Q(classification__lte=scope.clearance, program__classification__lte=scope.clearance)
    if scope.is_admin:
        return cleared
    reach = (
        scope.subtree_q("lead_unit_path")
        | Q(assignee_id=scope.user_id)
        | Q(accountable_leader_id=scope.user_id)
    )
    if scope.program_wide_unit_ids:
        owners = Unit.objects.filter(scope.program_wide_q("path", "pk")).values("pk")
        programs = Program.objects.filter(
            Q(owner_unit__in=owners) | Q(standing_office_id__in=sorted(scope.program_wide_unit_ids))
        ).values("pk")
        reach |= _in_array("program_id", programs)
    if scope.unit_paths:
        coordinated = TaskCoordination.objects.filter(scope.subtree_q("unit_path")).values(
            "task_id"
        )
        reach |= _in_array("pk", coordinated)
    return cleared & reach


def proposed_visible_tasks(scope: Scope) -> QuerySet[Task]:
    """The same rows as ``visible_tasks`` (checked by ``bench.run``); PostgreSQL only."""
    if connection.vendor != "postgresql" or not scope.is_authenticated:
        return visible_tasks(scope)
    return Task.objects.filter(proposed_visibility_q(scope))


@contextmanager
def proposed_visibility() -> Iterator[None]:
    """Run the real selectors (and the API and dashboards on top of them) with the proposed rule.

    ``task_list`` and the dashboards' ``scoped_tasks`` look ``visible_tasks`` up in their module
    at call time, so replacing the module attribute changes exactly that one function.
    """
    import importlib

    from . import cases

    modules = [cases, importlib.import_module("tiendo.programs.selectors")]
    with suppress(ImportError):
        modules.append(importlib.import_module("tiendo.dashboards.figures"))
    saved = [m.visible_tasks for m in modules]
    for module in modules:
        module.visible_tasks = proposed_visible_tasks
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.visible_tasks = original
