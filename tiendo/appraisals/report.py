"""The appraisal, consultation and indicator lines of a consolidated report.

``tiendo.reporting.consolidation.compute`` stores ``figures.report_section`` (as of the report's
day, from its fixed viewpoint) under ``"appraisals"`` in the frozen snapshot, only for programs
that have any of them; ``tiendo.reporting.exports.headline_lines`` adds these lines to the
overall results of the DOCX/PDF and the XLSX summary. They read only the snapshot.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def report_lines(snapshot: dict[str, Any]) -> list[str]:
    """Lines for the report's overall results, in the active language (none without data)."""
    section = snapshot.get("appraisals")
    if not section:
        return []
    lines = []
    a, c = section["appraisal"], section["consultation"]
    if a["total"]:
        lines.append(
            ngettext(
                "Investment projects: %(on_time)s of %(total)s appraised on time, %(behind)s "
                "behind schedule, %(on_schedule)s in appraisal on schedule.",
                "Investment projects: %(on_time)s of %(total)s appraised on time, %(behind)s "
                "behind schedule, %(on_schedule)s in appraisal on schedule.",
                a["total"],
            )
            % {
                "on_time": a["appraised_on_time"],
                "total": a["total"],
                "behind": a["behind_or_late"],
                "on_schedule": a["on_schedule"],
            }
        )
    if c["total"]:
        lines.append(
            _(
                "Consultations: %(total)s units consulted; %(on_time)s answered on time, "
                "%(late)s late, %(unanswered)s not answered, %(waiting)s not yet due."
            )
            % {
                "total": c["total"],
                "on_time": c["on_time"],
                "late": c["answered_late"],
                "unanswered": c["unanswered"],
                "waiting": c["waiting"],
            }
        )
    for i in section["indicators"]:
        values = {
            "code": i["code"],
            "name": i["name"],
            "actual": i["actual"] if i["actual"] is not None else "—",
            "target": i["target"] if i["target"] is not None else "—",
            "uom": i["unit_of_measure"],
            "achievement": i["achievement"] if i["achievement"] is not None else "—",
        }
        lines.append(
            _(
                "Indicator %(code)s (%(name)s): %(actual)s of a target of %(target)s %(uom)s, "
                "achievement %(achievement)s %%."
            )
            % values
        )
    return lines
