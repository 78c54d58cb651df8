"""``{% catalogue_tile unit %}``: the data tile of a unit dashboard (quality and freshness)."""

from __future__ import annotations

from typing import Any

from django import template

from tiendo.datacatalog.access import can_manage_dataset
from tiendo.datacatalog.selectors import usable_datasets
from tiendo.datacatalog.selectors_warehouse import (
    FIGURES,
    QUALITY_THRESHOLD,
    catalogue_tile,
    task_datasets,
)
from tiendo.orgs.scope import scope_for

register = template.Library()


@register.inclusion_tag("datacatalog/_dashboard_tile.html", takes_context=True)
def catalogue_tile_for(context: Any, unit: Any = None) -> dict[str, Any]:
    """Figures over the datasets the viewer may use, owned in ``unit``'s subtree (or all)."""
    request = context["request"]
    tile = catalogue_tile(request.user, unit)
    return {
        "tile": tile,
        "labels": FIGURES,
        "threshold": QUALITY_THRESHOLD,
        "unit_param": f"unit={unit.pk}&" if unit is not None else "",
    }


@register.inclusion_tag("datacatalog/_task_datasets.html", takes_context=True)
def task_datasets_for(context: Any, task: Any) -> dict[str, Any]:
    """On the task page: the datasets the task delivers (those the viewer may use), and for a
    dataset's steward or maintainers a form to link another of their datasets or unlink one."""
    user = context["request"].user
    scope = scope_for(user)
    datasets = list(task_datasets(user, task))
    linked = {d.pk for d in datasets}
    manageable = [
        d for d in usable_datasets(user).order_by("name", "id") if can_manage_dataset(scope, d)
    ]
    return {
        "task": task,
        "datasets": datasets,
        "manageable": {d.pk for d in manageable},
        "choices": [d for d in manageable if d.pk not in linked],
        "csrf_token": context.get("csrf_token"),
    }
