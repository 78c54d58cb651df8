"""What a number on a dashboard counts, defined once for both the number and its list.

A ``Cell`` names a set of tasks: where (program, group subtree, unit subtree, kind, product),
which bucket (a derived status or a combination of them), on which date (``as_of``) and within
which date ranges. ``cell_tasks(scope, cell)`` is THE definition: the drill-down list renders it
and ``cell_count`` counts it. Dashboards count many cells in one grouped query, but build it from
the same ``scoped_tasks`` base and the same ``bucket_q`` conditions, so figure and list cannot
disagree (``tests/test_figures.py`` checks every figure of a dashboard against its list).

Two sources of facts, one vocabulary:
- today (``as_of`` empty): the fact columns on the task row (``completed_on``, ``started_on``,
  ``latest_percent``, ``deadline``, ``hold_state`` ...), kept by ``progress_submit``; the
  status rule is ``tiendo.programs.status.status_q`` itself;
- a past date D: the same facts rebuilt from the history as correlated subqueries
  (``facts_as_of``) under the names ``asof_<fact>``, and the same rule over those names.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tiendo.core.fields import in_subtree
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import (
    DeadlineExtension,
    HoldChange,
    ProgressUpdate,
    Task,
    TaskGroup,
    TaskKind,
)
from tiendo.programs.selectors import today, visible_tasks
from tiendo.programs.status import TaskStatus, status_expression

AS_OF = "asof_"  # prefix of the facts rebuilt from history
# An open task whose last report is older than this is "not reported" (monthly regime + grace).
STALE_DAYS = 45
# An open task due within this many days and less than RISK_PERCENT done is "at risk".
RISK_DAYS = 30
RISK_PERCENT = 50

S = TaskStatus


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the active time zone (for datetime columns)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# Status, flags and buckets ------------------------------------------------------------------

STATUS = "_st"  # annotation: the derived status on the cell's date, computed once per row
ALL = frozenset(TaskStatus.values) - {S.DRAFT}
OPEN = frozenset({S.OVERDUE, S.IN_PROGRESS, S.NOT_STARTED})
DONE = frozenset({S.COMPLETED_ON_TIME, S.COMPLETED_LATE})
WITHIN = frozenset({S.IN_PROGRESS, S.NOT_STARTED})


def _extended_q(p: str) -> Q:
    """The deadline in force differs from the one given at assignment (NULL = ongoing)."""
    d, o = f"{p}deadline", "original_deadline"
    return (
        Q(**{f"{d}__isnull": True, f"{o}__isnull": False})
        | Q(**{f"{d}__isnull": False, f"{o}__isnull": True})
        | Q(**{f"{d}__gt": F(o)})
        | Q(**{f"{d}__lt": F(o)})
    )


def _flag_defs() -> dict[str, Callable[[dt.date, str], Q]]:
    """Facts beside the status that some buckets need, each a condition on the task's facts."""

    def begun(on: dt.date, p: str) -> Q:
        return Q(**{f"{p}started_on__isnull": False}) | Q(**{f"{p}completed_on__isnull": False})

    def risky(on: dt.date, p: str) -> Q:
        return Q(**{f"{p}deadline__lte": on + dt.timedelta(days=RISK_DAYS)}) & (
            Q(**{f"{p}latest_percent__isnull": True})
            | Q(**{f"{p}latest_percent__lt": RISK_PERCENT})
        )

    def quiet(on: dt.date, p: str) -> Q:
        limit = on - dt.timedelta(days=STALE_DAYS)
        return Q(**{f"{p}latest_progress_on__lt": limit}) | Q(
            **{f"{p}latest_progress_on__isnull": True, "assigned_at__lt": day_start(limit)}
        )

    return {
        "begun": begun,  # started (a report above 0 %) or completed
        "started": lambda on, p: Q(**{f"{p}started_on__isnull": False}),
        "extended": lambda on, p: _extended_q(p),
        "risky": risky,  # due within RISK_DAYS and under RISK_PERCENT done
        "quiet": quiet,  # no report for STALE_DAYS
    }


FLAGS = _flag_defs()


@dataclass(frozen=True)
class Bucket:
    """Tasks whose status is one of ``statuses`` and whose flags have the given values."""

    statuses: frozenset[str]
    flags: tuple[tuple[str, bool], ...] = ()

    def q(self) -> Q:
        q = Q(**{f"{STATUS}__in": sorted(self.statuses)})
        for flag, value in self.flags:
            q &= Q(**{f"_f_{flag}": value})
        return q

    def matches(self, status: str, flags: Mapping[str, Any]) -> bool:
        """The same test in Python, for rows already grouped by status and flags."""
        return status in self.statuses and all(bool(flags[f]) == v for f, v in self.flags)


BUCKETS: dict[str, Bucket] = {
    "total": Bucket(ALL - {S.CANCELLED}),
    "deployed": Bucket(ALL - {S.CANCELLED}, (("begun", True),)),
    "completed": Bucket(DONE),
    "completed_on_time": Bucket(frozenset({S.COMPLETED_ON_TIME})),
    "completed_late": Bucket(frozenset({S.COMPLETED_LATE})),
    "open": Bucket(OPEN),
    "open_within": Bucket(WITHIN),
    "overdue": Bucket(frozenset({S.OVERDUE})),
    "in_progress": Bucket(frozenset({S.IN_PROGRESS})),
    "not_started": Bucket(frozenset({S.NOT_STARTED})),
    "paused": Bucket(frozenset({S.PAUSED})),
    "cancelled": Bucket(frozenset({S.CANCELLED})),
    "behind": Bucket(frozenset({S.COMPLETED_LATE, S.OVERDUE})),
    "due": Bucket(DONE | {S.OVERDUE}),
    "active": Bucket(DONE | OPEN),
    "under_way": Bucket(OPEN, (("started", True),)),
    "not_begun": Bucket(OPEN, (("started", False),)),
    "extended": Bucket(DONE | OPEN, (("extended", True),)),
    "at_risk": Bucket(WITHIN, (("risky", True),)),
    "stale": Bucket(OPEN, (("quiet", True),)),
}

BUCKET_LABELS: Mapping[str, Any] = {
    "total": gettext_lazy("Assigned"),
    "deployed": gettext_lazy("Deployed"),
    "completed": gettext_lazy("Completed"),
    "completed_on_time": gettext_lazy("Completed on time"),
    "completed_late": gettext_lazy("Completed late"),
    "open": gettext_lazy("Not completed"),
    "open_within": gettext_lazy("In progress within deadline"),
    "overdue": gettext_lazy("Overdue"),
    "in_progress": gettext_lazy("In progress"),
    "not_started": gettext_lazy("Not started"),
    "paused": gettext_lazy("Paused"),
    "cancelled": gettext_lazy("Cancelled"),
    "behind": gettext_lazy("Behind schedule"),
    "due": gettext_lazy("Due"),
    "active": gettext_lazy("Active"),
    "under_way": gettext_lazy("Under way"),
    "not_begun": gettext_lazy("Not yet begun"),
    "extended": gettext_lazy("Deadline extended"),
    "at_risk": gettext_lazy("At risk"),
    "stale": gettext_lazy("Not reported recently"),
    "overdue_at": gettext_lazy("Overdue on that date"),
}


def bucket_q(bucket: str) -> Q:
    """A bucket over the ``_st`` and ``_f_*`` annotations that ``scoped_tasks`` adds."""
    return BUCKETS[bucket].q()


def with_status(qs: QuerySet[Task], on: dt.date, p: str) -> QuerySet[Task]:
    """Annotate the status on ``on`` (the lead's ``status_expression``) and the flags."""
    return qs.annotate(
        **{STATUS: status_expression(on, prefix=p)},
        **{
            f"_f_{name}": Case(
                When(flag(on, p), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for name, flag in FLAGS.items()
        },
    )


def existed_q(at: dt.date, p: str) -> Q:
    """The task existed on ``at``: assigned by then, or started by then (imported histories)."""
    return Q(assigned_at__lt=day_start(at + dt.timedelta(days=1))) | Q(
        **{f"{p}started_on__lte": at}
    )


def overdue_at_q(at: dt.date, p: str) -> Q:
    """Open past the deadline in force at ``at``: the trend line of overdue tasks.

    It uses the facts of the dashboard's date (today's deadline after extensions, today's hold
    state), so it is cheap on a million tasks; the as-of view gives exact figures for one date.
    """
    return (
        existed_q(at, p)
        & Q(**{f"{p}hold_state": "", f"{p}deadline__lt": at})
        & (Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gt": at}))
    )


# As-of facts ----------------------------------------------------------------------------------


def facts_as_of(qs: QuerySet[Task], day: dt.date) -> QuerySet[Task]:
    """Annotate each task with its facts as they stood at the end of ``day``, from history.

    Same rules as ``tiendo.programs.services.progress_facts`` restricted to reports with
    ``as_of <= day``; the deadline in force is the last extension effective by that day, else the
    deadline given at assignment; the hold state is the last change effective by that day.
    Tasks that did not exist yet (assigned later and no report by then) are left out.
    """
    end = day_start(day + dt.timedelta(days=1))
    updates = ProgressUpdate.objects.filter(task_id=OuterRef("pk"), as_of__lte=day)
    latest = updates.order_by("-as_of", "-id")
    reopened_later = ProgressUpdate.objects.filter(
        task_id=OuterRef("task_id"), as_of__lte=day, percent__lt=100
    ).filter(Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), id__gt=OuterRef("id")))
    extensions = DeadlineExtension.objects.filter(
        task_id=OuterRef("pk"), effective_on__lte=day
    ).order_by("-effective_on", "-id")
    holds = HoldChange.objects.filter(task_id=OuterRef("pk"), effective_on__lte=day).order_by(
        "-effective_on", "-id"
    )
    p = AS_OF
    return qs.annotate(
        **{
            f"{p}assigned_at": F("assigned_at"),
            f"{p}latest_percent": Subquery(latest.values("percent")[:1]),
            f"{p}latest_quantity": Subquery(latest.values("achieved_quantity")[:1]),
            f"{p}latest_progress_on": Subquery(latest.values("as_of")[:1]),
            f"{p}started_on": Subquery(
                updates.filter(percent__gt=0).order_by("as_of").values("as_of")[:1]
            ),
            # First report of the final run at 100 %: a 100 % report with no lower one after it.
            f"{p}completed_on": Subquery(
                updates.filter(percent=100)
                .filter(~Exists(reopened_later))
                .order_by("as_of", "id")
                .values("as_of")[:1]
            ),
            f"{p}deadline": Case(
                When(Exists(extensions), then=Subquery(extensions.values("new_deadline")[:1])),
                default=F("original_deadline"),
                output_field=DateField(),
            ),
            f"{p}hold_state": Coalesce(
                Subquery(holds.values("state")[:1]), Value(""), output_field=CharField()
            ),
        }
    ).filter(Q(assigned_at__lt=end) | Q(**{f"{p}started_on__isnull": False}))


# Cells ----------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Cell:
    """A set of tasks behind one figure. Empty fields do not filter."""

    bucket: str = "total"
    program: int | None = None
    group: int | None = None  # the group and its sub-groups
    unit: int | None = None  # lead unit and every unit below it
    kind: str | None = None
    product_unit: str | None = None
    as_of: dt.date | None = None  # None: today, from the facts on the task rows
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    completed_to: dt.date | None = None
    at: dt.date | None = None  # with bucket "overdue_at": the date of the trend point

    @property
    def on(self) -> dt.date:
        return self.as_of or today()

    @property
    def prefix(self) -> str:
        return AS_OF if self.as_of else ""

    def __repr__(self) -> str:
        # Every field, as the generated repr gives them but without its recursion guard: the
        # dashboard's fingerprint is a digest of the reprs of about a thousand cells.
        return f"Cell({self.__dict__!r})"

    def with_(self, **changes: Any) -> Cell:
        """This cell with some fields changed (``dataclasses.replace`` without its re-run of
        ``__init__``: a national page derives about a thousand cells)."""
        if not changes.keys() <= _CELL_FIELD_SET:
            return replace(self, **changes)  # raises TypeError naming the unknown field
        cell = object.__new__(Cell)
        cell.__dict__.update(self.__dict__)
        cell.__dict__.update(changes)
        return cell

    def query_without_bucket(self) -> str:
        """The drill-down query string of every field but the bucket (shared by a row's figures)."""
        return urlencode({k: v for k, v in self.query().items() if k != "bucket"})

    def query(self) -> dict[str, str]:
        # Not ``asdict``: it deep-copies, and a national page builds a thousand of these.
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else str(v))
            for k in _CELL_FIELDS
            if (v := getattr(self, k)) is not None and v != ""
        }

    @property
    def url(self) -> str:
        return _list_href(self.bucket, self.query_without_bucket())

    @property
    def label(self) -> str:
        return bucket_label(self.bucket)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Cell:
        """Parse a drill-down query string; raise ``ValidationError`` with readable messages."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in fields(cls):
            raw = (params.get(f.name) or "").strip()
            if not raw:
                continue
            try:
                if f.name in ("program", "group", "unit"):
                    values[f.name] = int(raw)
                elif f.name in ("bucket", "kind", "product_unit"):
                    values[f.name] = raw
                else:
                    values[f.name] = dt.date.fromisoformat(raw)
            except ValueError:
                errors[f.name] = _("“%(value)s” is not valid here; expected %(expected)s.") % {
                    "value": raw,
                    "expected": _("a whole number")
                    if f.name in ("program", "group", "unit")
                    else _("a date such as 2024-03-31"),
                }
        bucket = values.get("bucket", "total")
        if bucket not in BUCKETS and bucket != "overdue_at":
            errors["bucket"] = _("Unknown figure “%(value)s”.") % {"value": bucket}
        if bucket == "overdue_at" and "at" not in values:
            errors["at"] = _("This figure needs the date of the trend point.")
        if values.get("kind") and values["kind"] not in TaskKind.values:
            errors["kind"] = _("Unknown kind of task “%(value)s”.") % {"value": values["kind"]}
        if values.get("as_of") and values["as_of"] > today():
            errors["as_of"] = _("The as-of date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        return cls(**values)


_CELL_FIELDS = tuple(f.name for f in fields(Cell))
_CELL_FIELD_SET = frozenset(_CELL_FIELDS)


@functools.lru_cache(maxsize=8)
def _list_url(script_prefix: str) -> str:
    """The drill-down list's path (reversed once per script prefix, not once per figure)."""
    return reverse("dashboards:task_list")


def _list_href(bucket: str, rest: str, list_url: str | None = None) -> str:
    """The drill-down link of a bucket and the query string of the cell's other fields (the
    bucket first, as ``urlencode(Cell.query())`` orders it). ``list_url``: the list's path,
    when the caller already has it."""
    first = _bucket_query(bucket) if bucket else ""
    query = f"{first}&{rest}" if first and rest else first or rest
    return f"{list_url or _list_url(get_script_prefix())}?{query}"


def bucket_label(bucket: str) -> str:
    """The bucket's name in the active language (translated once per language and bucket)."""
    return _bucket_label(bucket, get_language())


@functools.lru_cache(maxsize=512)
def _bucket_label(bucket: str, language: str | None) -> str:
    return str(BUCKET_LABELS.get(bucket, bucket))


@dataclass(frozen=True, repr=False)
class Figure:
    cell: Cell
    value: int
    # The cell's ``url``, when the caller already built it (a row builds its figures' links
    # from one shared query string: ``FigureMap``); never part of equality.
    href: str | None = field(default=None, compare=False, repr=False)

    def __repr__(self) -> str:
        return f"Figure({self.cell!r}, {self.value!r})"  # as ``Cell.__repr__``; not the href

    @property
    def url(self) -> str:
        return self.href if self.href is not None else self.cell.url

    @property
    def label(self) -> str:
        return self.cell.label

    def __html__(self) -> str:
        """The figure as a link to its list, built in Python (``{{ figure }}`` in a template):
        a national page has about a thousand of them, and a template include each cost more."""
        return figure_html(self, get_language())

    __str__ = __html__  # ``{{ figure }}`` renders ``str(figure)``, safe HTML


def figure_html(figure: Figure, language: str | None) -> SafeString:
    """``Figure.__html__`` with ``language`` the active language (looked up once by a caller
    that renders many figures: ``render.py``)."""
    return _link_html(figure.url, figure.cell.bucket, figure.value, language)


def _link_html(url: str, bucket: str, value: int, language: str | None) -> SafeString:
    # Every part is escaped (``html.escape``: Django's ``escape``); ``SafeString`` directly,
    # as ``mark_safe`` would give (without its lazy-text wrapper: a thousand calls a page).
    return SafeString(
        f'<a class="fig" href="{html.escape(url)}" {_bucket_attrs(bucket, language)}>'
        f"{_localized_in(value, language, settings.USE_THOUSAND_SEPARATOR)}</a>"
    )


@functools.lru_cache(maxsize=512)
def _bucket_attrs(bucket: str, language: str | None) -> str:
    """The link's ``data-bucket`` and ``title`` (the bucket's name in ``language``)."""
    label = _bucket_label(bucket, language)
    return f'data-bucket="{html.escape(bucket)}" title="{html.escape(label)}"'


@functools.lru_cache(maxsize=4096)
def _localized_in(value: int, language: str | None, grouped: bool) -> str:
    return html.escape(str(localize(value)))


@functools.lru_cache(maxsize=64)
def _bucket_query(bucket: str) -> str:
    return urlencode({"bucket": bucket})


class FigureMap(Mapping[str, Figure]):
    """A row's figures by bucket, built when first asked for (a page shows about half of them).

    Every figure of a row is the row's cell with its bucket, so the links share one query
    string: the same text ``Cell.url`` gives, built once per row instead of once per figure.
    """

    def __init__(self, cell: Cell, counts: Mapping[str, int]) -> None:
        self._cell, self._counts = cell, counts
        self._built: dict[str, Figure] = {}
        self._rest: str | None = None
        self._list_url = ""

    def __getitem__(self, bucket: str) -> Figure:
        figure = self._built.get(bucket)
        if figure is None:
            value = self._counts[bucket]  # KeyError for a bucket the row does not count
            figure = Figure(self._cell.with_(bucket=bucket), value, href=self.href(bucket))
            self._built[bucket] = figure
        return figure

    def href(self, bucket: str) -> str:
        """The ``url`` of the figure of ``bucket`` (``Cell.url``)."""
        if self._rest is None:
            self._rest = self._cell.query_without_bucket()
            self._list_url = _list_url(get_script_prefix())
        return _list_href(bucket, self._rest, self._list_url)

    def html(self, bucket: str, language: str | None) -> SafeString:
        """``figure_html(self[bucket], language)`` without building the figure's cell."""
        return _link_html(self.href(bucket), bucket, self._counts[bucket], language)

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def parse_as_of(raw: str | None) -> dt.date | None:
    """The ``as_of`` parameter of a dashboard: empty for today; a past or present ISO date."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {"as_of": _("“%(value)s” is not a date; write it as 2024-03-31.") % {"value": raw}}
        ) from None
    if day > today():
        raise ValidationError({"as_of": _("The as-of date cannot be in the future.")})
    return day


def scoped_tasks(scope: Scope, cell: Cell) -> QuerySet[Task]:
    """Visible, assigned tasks in the cell's place, with as-of facts if asked; no bucket yet.

    Every grouped figure starts from this queryset, and so does every drill-down list.
    """
    qs = visible_tasks(scope).filter(assigned_at__isnull=False)
    if cell.program:
        qs = qs.filter(program_id=cell.program)
    if cell.group:
        group = TaskGroup.objects.filter(pk=cell.group).values_list("path", flat=True).first()
        if group is None:
            return qs.none()
        qs = qs.filter(in_subtree("group__path", group))
    if cell.unit:
        path = Unit.objects.filter(pk=cell.unit).values_list("path", flat=True).first()
        if path is None:
            return qs.none()
        qs = qs.filter(in_subtree("lead_unit_path", path))
    if cell.kind:
        qs = qs.filter(kind=cell.kind)
    if cell.product_unit is not None:
        qs = qs.filter(product_unit=cell.product_unit)
    if cell.as_of:
        qs = facts_as_of(qs, cell.as_of)
    return with_status(qs, cell.on, cell.prefix)


def cell_q(cell: Cell) -> Q:
    """The bucket and date ranges of a cell, over the facts of its date."""
    p, on = cell.prefix, cell.on
    q = overdue_at_q(cell.at or on, p) if cell.bucket == "overdue_at" else bucket_q(cell.bucket)
    if cell.deadline_from:
        q &= Q(**{f"{p}deadline__gte": cell.deadline_from})
    if cell.deadline_to:
        q &= Q(**{f"{p}deadline__lte": cell.deadline_to})
    if cell.completed_to:
        q &= Q(**{f"{p}completed_on__lte": cell.completed_to})
    return q


def cell_tasks(scope: Scope, cell: Cell) -> QuerySet[Task]:
    """THE tasks behind a figure: the drill-down list shows these, the figure counts them."""
    return scoped_tasks(scope, cell).filter(cell_q(cell))


def cell_count(scope: Scope, cell: Cell) -> int:
    return cell_tasks(scope, cell).count()


def count_cells(qs: QuerySet[Task], cells: Mapping[str, Cell]) -> dict[str, Any]:
    """Count several cells sharing one place over ``qs`` (from ``scoped_tasks``) in one query."""
    if not cells:
        return {}
    return qs.order_by().aggregate(
        **{name: Count("pk", filter=cell_q(c)) for name, c in cells.items()}
    )


def tally(
    qs: QuerySet[Task], keys: Mapping[str, Any], extra: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Tasks of ``qs`` counted per key, status and flags: ONE grouped query.

    Every bucket of ``BUCKETS`` is a union of these groups (``Bucket.matches``), so the blocks of
    a dashboard (overall, per kind, per group, per unit) are sums over the same few rows, and the
    status expression runs once per task instead of once per figure.
    ``keys`` maps an alias (starting with "_k") to a field name or expression. Each row carries
    its status and flags as one code (``_code``, see ``decode``) and its count (``_n``).
    """
    return tally_codes(qs, keys, extra)


def tally_codes(
    qs: QuerySet[Task], keys: Mapping[str, Any], extra: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """``tally``'s query: rows of the keys, ``_code`` (status and flags) and ``_n``.

    The summary tables (``summary.py``) store these codes, so the dashboards read from them
    decode exactly as the live query does (``decode_tally``).
    """
    # Status and flags travel as one small integer: PostgreSQL then estimates few groups and
    # hashes them, instead of sorting a million rows on several text columns.
    statuses = sorted(TaskStatus.values)
    code = Case(
        *(When(**{STATUS: st}, then=Value(i << len(FLAGS))) for i, st in enumerate(statuses)),
        output_field=IntegerField(),
    )
    for bit, name in enumerate(FLAGS):
        code = code + Case(
            When(**{f"_f_{name}": True}, then=Value(1 << bit)),
            default=Value(0),
            output_field=IntegerField(),
        )
    grouped = qs.order_by().annotate(
        _code=code,
        **{alias: F(key) if isinstance(key, str) else key for alias, key in keys.items()},
    )
    return list(grouped.values(*keys, "_code").annotate(_n=Count("pk"), **(extra or {})))


def decode(code: int) -> tuple[str, dict[str, bool]]:
    """The status and flags packed in a ``tally`` code."""
    status = sorted(TaskStatus.values)[code >> len(FLAGS)]
    return status, {name: bool(code & (1 << bit)) for bit, name in enumerate(FLAGS)}


def bucket_code_sql(bucket: str, column: str = "code") -> str:
    """SQL that is true for the ``tally`` codes of ``column`` that fall in ``bucket`` (the same
    test as ``code_buckets``: ``decode``'s layout, the status's index above one bit per flag),
    so that a reader of stored codes can sum the buckets in the database."""
    statuses = sorted(TaskStatus.values)
    spec = BUCKETS[bucket]
    indexes = ", ".join(str(statuses.index(s)) for s in sorted(spec.statuses))
    sql = f"({column} >> {len(FLAGS)}) IN ({indexes})"
    for flag, value in spec.flags:
        sql += f" AND ({column} & {1 << list(FLAGS).index(flag)}) {'<>' if value else '='} 0"
    return sql


def status_codes(statuses: frozenset[str]) -> list[int]:
    """Every ``tally`` code whose status is one of ``statuses`` (any flags)."""
    every = range(len(TaskStatus.values) << len(FLAGS))
    return [code for code in every if decode(code)[0] in statuses]


def sum_buckets(
    rows: list[dict[str, Any]], by: tuple[str, ...] = (), extra: tuple[str, ...] = ()
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Bucket counts (and sums of ``extra``) per value of the ``by`` keys of ``tally`` rows."""
    # First the tasks per (key, code), then each code into its buckets: the bucket test runs
    # once per distinct code, not once per row (the summary tables give thousands of rows for
    # a few dozen codes).
    groups: dict[tuple[Any, ...], dict[int, int]] = {}
    extras: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple([row[k] for k in by])
        per_key = groups.get(key)
        if per_key is None:
            per_key = groups[key] = {}
            extras[key] = dict.fromkeys(extra)
        code = row["_code"]
        per_key[code] = per_key.get(code, 0) + row["_n"]
        if extra:
            sums = extras[key]
            for name in extra:
                if (value := row[name]) is not None:
                    sums[name] = value if sums[name] is None else sums[name] + value
    return sum_codes(groups, extras)


def sum_codes(
    groups: Mapping[Any, Mapping[int, int]], extras: Mapping[Any, Mapping[str, Any]] | None = None
) -> dict[Any, dict[str, Any]]:
    """Bucket counts per key from the tasks per ``tally`` code of each key (and its extras)."""
    out: dict[Any, dict[str, Any]] = {}
    for key, per_key in groups.items():
        counts = out[key] = dict.fromkeys(BUCKETS, 0)
        if extras:
            counts.update(extras[key])
        for code, n in per_key.items():
            for name in code_buckets(code):
                counts[name] += n
    return out


@functools.lru_cache(maxsize=1024)
def code_buckets(code: int) -> tuple[str, ...]:
    """The buckets a ``tally`` code (status and flags) falls in."""
    status, flags = decode(code)
    return tuple(b for b, bucket in BUCKETS.items() if bucket.matches(status, flags))
