"""The hot loops of the dashboard page, rendered in Python (issue #3, speed).

A national league is 85 rows of nine cells with a confidence badge each, the timeline about 40
rows of figures: through the template engine (variable lookups, an include per row, a
``{% url %}`` and a ``{% widthratio %}`` per row) they were most of a first showing's time.
The page template keeps the structure and the headings; it asks for these rows only when it
renders a section that was not kept (``{% cache %}`` under ``Dashboard.fingerprint``), through
``DashboardHtml``'s lazy attributes.

The output is the HTML the template loops gave (whitespace aside): the same values through the
same functions (``Figure.__html__``, ``intcomma``, ``date_format``, the ``widthratio`` rounding),
every text escaped as the template's autoescape does (``esc``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from functools import cached_property

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tiendo.core.templatetags.ui import esc

from .charts import chart_data
from .confidence import Confidence, Rating
from .figures import Figure, figure_html
from .selectors import Dashboard, Row
from .timeline import Timeline


def _ratio_percent(part: int, whole: int) -> str:
    """``{% widthratio part whole 100 %}``: the same float arithmetic and rounding."""
    try:
        return str(round((float(part) / float(whole)) * 100))
    except ZeroDivisionError:
        return "0"


@functools.lru_cache(maxsize=64)
def _rating_badge(rating: str | None, language: str | None) -> tuple[str, str]:
    """The escaped class suffix and label of a computed rating (``Confidence.label``) in the
    active language ``language``."""
    label = Confidence(Rating(rating) if rating else None, ()).label
    return esc(rating or "none"), esc(label)


@functools.lru_cache(maxsize=8192)
def _grouped(value: int, language: str | None) -> str:
    """``{{ value|intcomma }}`` escaped, in the active language ``language``."""
    return esc(intcomma(value))


@functools.lru_cache(maxsize=4096)
def _short_date(day: dt.date, language: str | None) -> str:
    """``{{ day|date:"SHORT_DATE_FORMAT" }}`` escaped, in the active language ``language``."""
    return esc(date_format(day, "SHORT_DATE_FORMAT"))


def confidence_html(row: Row, language: str | None = None) -> str:
    """``dashboards/_confidence.html``: the computed rating, and the leader's override."""
    c = row.confidence
    css, label = _rating_badge(c.rating.value if c.rating else None, language or get_language())
    html = f'<span class="conf conf-{css}" title="{esc(c.reason)}">{label}</span>'

    o = row.override
    if o:
        leader = _("Leader: %(rating)s") % {"rating": esc(o.rating_label)}
        html += (
            f' <span class="conf conf-{esc(o.rating)} override" title="{esc(o.reason)}">'
            f"{leader}</span>"
        )
    return html


def league_rows(d: Dashboard) -> SafeString:
    """The rows of the league table (``<tr>`` per child unit)."""
    lang = get_language()
    as_of = f"?as_of={d.as_of:%Y-%m-%d}" if d.as_of else ""
    parts = []
    for row in d.league:
        figs, counts = row.figs, row.counts
        assert row.target is not None  # a league row is a unit
        url = _unit_url(get_script_prefix(), row.target[1])
        on_time = figs.html("completed_on_time", lang)
        if row.on_time_rate is not None:
            pct = _ratio_percent(counts["completed_on_time"], counts["due"])
            on_time += f' <small class="muted">({pct}%)</small>'
        leader = row.extra["leader"] or "–"
        parts.append(
            "<tr>"
            f'<th scope="row"><a href="{esc(url + as_of)}">{esc(row.label)}</a></th>'
            f"<td>{esc(leader)}</td>"
            f'<td class="num">{figs.html("total", lang)}</td>'
            f'<td class="num">{figs.html("completed", lang)}</td>'
            f'<td class="num">{on_time}</td>'
            f'<td class="num">{figs.html("overdue", lang)}</td>'
            f'<td class="num">{_grouped(row.extra["days_late"], lang)}</td>'
            f'<td class="num">{figs.html("stale", lang)}</td>'
            f"<td>{confidence_html(row, lang)}"
            f'<div class="small muted">{esc(row.confidence.reason)}</div></td>'
            "</tr>\n"
        )
    return mark_safe("".join(parts))  # every value escaped above


@functools.lru_cache(maxsize=4096)
def _unit_url(script_prefix: str, unit_id: int) -> str:
    """``{% url 'dashboards:unit' unit_id %}`` (reversed once per unit and script prefix)."""
    return reverse("dashboards:unit", args=[unit_id])


def _cells(lang: str | None, *figures: Figure) -> str:
    return "".join(f'<td class="num">{figure_html(f, lang)}</td>' for f in figures)


def _rows(lang: str | None, rows: Iterable[tuple[str, Sequence[Figure]]]) -> SafeString:
    """Table rows of an escaped header cell and its figures (each opening its list)."""
    return mark_safe(  # headers escaped by the callers, figures by figure_html
        "".join(
            f'<tr><th scope="row">{head}</th>{_cells(lang, *figs)}</tr>\n' for head, figs in rows
        )
    )


def trend_rows(t: Timeline) -> SafeString:
    """The trend table's rows: date, due (cumulative), completed (cumulative), overdue."""
    lang = get_language()
    return _rows(lang, ((_short_date(day, lang), figs) for day, *figs in t.rows))


def quarter_rows(t: Timeline) -> SafeString:
    lang = get_language()
    return _rows(
        lang, ((esc(q["label"]), (q["due"], q["completed"], q["overdue"])) for q in t.quarters)
    )


def calendar_rows(t: Timeline) -> SafeString:
    lang = get_language()
    return _rows(
        lang,
        (
            (f"{_short_date(w['start'], lang)} – {_short_date(w['end'], lang)}", (w["open"],))
            for w in t.calendar
        ),
    )


# ``django.utils.html.json_script``'s escapes, as plain replacements (``str.translate`` with a
# mapping looks up every character of the text in Python; this text is tens of kilobytes).
_JSON_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def charts_script(d: Dashboard) -> SafeString:
    """``{{ chart_data|json_script:"dashboard-charts" }}``: the same text."""
    text = json.dumps(chart_data(d), cls=DjangoJSONEncoder)
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return mark_safe(f'<script id="dashboard-charts" type="application/json">{text}</script>')


class DashboardHtml:
    """The page's Python-rendered rows, each built only when the template asks for it (that
    is, only when its section is rendered rather than taken from the kept copy)."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.d = dashboard

    @cached_property
    def charts_script(self) -> SafeString:
        return charts_script(self.d)

    @cached_property
    def league_rows(self) -> SafeString:
        return league_rows(self.d)

    @cached_property
    def trend_rows(self) -> SafeString:
        return trend_rows(self.d.timeline) if self.d.timeline else mark_safe("")

    @cached_property
    def quarter_rows(self) -> SafeString:
        return quarter_rows(self.d.timeline) if self.d.timeline else mark_safe("")

    @cached_property
    def calendar_rows(self) -> SafeString:
        return calendar_rows(self.d.timeline) if self.d.timeline else mark_safe("")
