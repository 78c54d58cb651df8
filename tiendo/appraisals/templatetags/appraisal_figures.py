"""``{% appraisal_section program on %}``: the program dashboard's appraisal, consultation and
indicator figures (``tiendo.appraisals.figures``), so the dashboards app includes them with one
line and no dependency on this app's models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Program

from ..figures import program_figures

register = template.Library()


@register.inclusion_tag("appraisals/_dashboard_section.html", takes_context=True)
def appraisal_section(context: Any, program: Program | None, on: dt.date) -> dict[str, Any]:
    """``program`` is the dashboard's (already found through the user's scope)."""
    request = context.get("request")
    if program is None or request is None:
        return {"f": None}
    return {"f": program_figures(scope_for(request.user), program, on=on)}
