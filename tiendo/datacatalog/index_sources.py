"""The catalogue's "digital data" indicators for the index engine (found by its autodiscovery).

Each counts the datasets owned by the unit or a unit below it, as they stood at the end of the
period (``selectors_warehouse.unit_facts``, the same facts the dashboard tile lists), seen with
the engine's system scope so the value does not depend on who recomputes it. ``records`` are
the datasets behind the value: the denominator, as for the task sources.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tiendo.indexing.automatic import SYSTEM_SCOPE, AutoValue, register_source

from .selectors_warehouse import average_quality, unit_facts

RECORD_URL = "datacatalog:dataset_by_id"


@register_source(
    "catalogue_planned_built_share",
    _("Share of the unit's planned databases that are built (%)"),
    record_url=RECORD_URL,
)
def catalogue_planned_built_share(unit: Any, period: Any) -> AutoValue:
    facts = unit_facts(SYSTEM_SCOPE, unit, period.ends_on)
    if not facts:
        return AutoValue(None, [], gettext_noop("The unit has no database in the catalogue."))
    built = [f for f in facts if f.built]
    return AutoValue(round(100 * len(built) / len(facts), 4), [f.dataset.pk for f in facts])


@register_source(
    "catalogue_average_quality",
    _("Average quality of the unit's datasets (0-100)"),
    record_url=RECORD_URL,
)
def catalogue_average_quality(unit: Any, period: Any) -> AutoValue:
    facts = unit_facts(SYSTEM_SCOPE, unit, period.ends_on)
    value = average_quality(facts)
    if value is None:
        return AutoValue(None, [], gettext_noop("No dataset of the unit has a measured quality."))
    return AutoValue(value, [f.dataset.pk for f in facts if f.quality is not None])


@register_source(
    "catalogue_published_share",
    _("Share of the unit's built datasets published to the warehouse (%)"),
    record_url=RECORD_URL,
)
def catalogue_published_share(unit: Any, period: Any) -> AutoValue:
    built = [f for f in unit_facts(SYSTEM_SCOPE, unit, period.ends_on) if f.built]
    if not built:
        return AutoValue(None, [], gettext_noop("No database of the unit is built yet."))
    published = [f for f in built if f.published]
    return AutoValue(round(100 * len(published) / len(built), 4), [f.dataset.pk for f in built])
