"""The numbers a dashboard's charts draw, as plain data for ``json_script``.

The page always shows the same numbers in a table next to each chart; charts use decal
patterns as well as colours so they stay readable printed in black and white.
"""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from .selectors import Dashboard

STATUS_SERIES = ("completed_on_time", "completed_late", "open_within", "overdue", "paused")


def chart_data(dashboard: Dashboard) -> dict[str, Any]:
    rows = dashboard.groups or dashboard.league or [dashboard.overall]
    labels = {
        "completed_on_time": _("Completed on time"),
        "completed_late": _("Completed late"),
        "open_within": _("In progress within deadline"),
        "overdue": _("Overdue"),
        "paused": _("Paused"),
    }
    data: dict[str, Any] = {
        "status": {
            "categories": [r.label for r in rows],
            "series": [
                {
                    "key": key,
                    "name": labels[key],
                    "data": [r.counts[key] for r in rows],
                    "urls": [r.figs.href(key) for r in rows],
                }
                for key in STATUS_SERIES
            ],
        }
    }
    if dashboard.timeline:
        t = dashboard.timeline
        data["trend"] = {
            "categories": [formats.date_format(d, "SHORT_DATE_FORMAT") for d in t.points],
            "series": [
                {
                    "key": "planned",
                    "name": _("Due (cumulative)"),
                    "data": [f.value for f in t.planned],
                },
                {
                    "key": "completed",
                    "name": _("Completed (cumulative)"),
                    "data": [f.value for f in t.completed],
                },
                {"key": "overdue", "name": _("Overdue"), "data": [f.value for f in t.overdue]},
            ],
        }
    return data
