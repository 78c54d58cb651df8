"""``{% catalogue_tile unit %}``: the data tile of a unit dashboard (quality and freshness)."""

from __future__ import annotations

from typing import Any

from django import template

from tiendo.datacatalog.selectors_warehouse import (
    FIGURES,
    QUALITY_THRESHOLD,
    catalogue_tile,
    task_datasets,
)

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
    """On the task page: the datasets the task delivers (those the viewer may use)."""
    return {"datasets": list(task_datasets(context["request"].user, task))}
