"""The reminder engine: ``reminders_run(today=...)``. Start here (and README.md).

1. Group programs by their reminder settings (a handful of groups: most use the defaults).
2. Per group, ask the database for the *distinct due dates* of open tasks that could fire
   today (status from ``status_q``; one indexed range on ``deadline``), and plan each date in
   Python with the working-day calendar (``rules.plan``). Dates, not rows: a million tasks
   share a few thousand deadlines.
3. For each (stage, occurrence) found, select the tasks with those due dates that have no
   reminder of that occurrence yet (``NOT EXISTS``), resolve their recipients in bulk, and
   insert the notifications with ``ON CONFLICT DO NOTHING`` on the unique key
   (task, recipient, kind, occurrence), one transaction per batch.
4. The same for periodic progress reports that have not been submitted.
5. After the inserts are committed, deliver emails (``delivery.py``).

Only tasks that are due are ever loaded as Python objects.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from tiendo.calendars.workdays import WorkingCalendar, default_calendar
from tiendo.core.deadlines import DeadlineKind
from tiendo.programs.models import Task
from tiendo.programs.status import OPEN, status_q

from . import rules
from .delivery import SKIPPED, deliver_digests, deliver_immediate
from .messages import MessageContext, compose_message, user_language
from .models import (
    DEFAULTS,
    Notification,
    NotificationKind,
    ReminderRun,
    ReminderSettings,
    ReportPeriod,
)
from .recipients import TASK_FIELDS, directory_for, recipients
from .sources import run_sources

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000


def open_tasks_q(today: dt.date) -> Q:
    """Tasks that may be reminded: assigned, not completed, paused or cancelled."""
    return reduce(or_, (status_q(status, today) for status in sorted(OPEN)))


@dataclass
class Group:
    """Programs that share reminder settings."""

    settings: ReminderSettings
    program_ids: list[int] | None = None  # None: every program without its own settings
    excluded: list[int] = field(default_factory=list)

    def q(self) -> Q:
        if self.program_ids is not None:
            return Q(program_id__in=self.program_ids)
        return ~Q(program_id__in=self.excluded) if self.excluded else Q()


def setting_groups() -> list[Group]:
    explicit: dict[tuple, Group] = {}
    all_ids = []
    for row in ReminderSettings.objects.all():
        all_ids.append(row.program_id)
        group = explicit.setdefault(row.rule_key(), Group(row, []))
        assert group.program_ids is not None
        group.program_ids.append(row.program_id)
    return [Group(DEFAULTS, None, all_ids), *explicit.values()]


@dataclass(frozen=True)
class Batch:
    """Tasks due for one kind of reminder in one settings group: what the scan hands the insert.

    Deadline batches hold one firing per deadline (``by_deadline``); a report batch one firing
    for every task (``firing``).
    """

    kind: str
    tasks: QuerySet[Task]
    by_deadline: dict[dt.date, rules.Firing] = field(default_factory=dict)
    firing: rules.Firing | None = None
    report: rules.ReportPeriodWindow | None = None
    period_kind: str = ""

    def firing_for(self, task: Task) -> rules.Firing | None:
        """None when the task's deadline changed since the scan: the next run sees it anew."""
        if self.firing is not None:
            return self.firing
        return self.by_deadline.get(task.deadline)  # type: ignore[arg-type]


def due_batches(today: dt.date, cal: WorkingCalendar = default_calendar) -> Iterator[Batch]:
    """Every batch of tasks that should be reminded ``today`` and has not been yet."""
    if not cal.is_working_day(today):
        return
    open_q = open_tasks_q(today)
    for group in setting_groups():
        if not group.settings.enabled:
            continue
        yield from _deadline_batches(today, group, open_q, cal)
        yield from _report_batches(today, group, open_q, cal)


def _deadline_batches(
    today: dt.date, group: Group, open_q: Q, cal: WorkingCalendar
) -> Iterator[Batch]:
    horizon = rules.latest_due_horizon(today, group.settings, cal)
    candidates = Task.objects.filter(open_q, group.q(), deadline__lt=horizon)
    deadlines = candidates.order_by().values_list("deadline", flat=True).distinct()
    planned: dict[str, dict[dt.date, rules.Firing]] = defaultdict(dict)
    for due in deadlines:
        if due is None:  # excluded by the filter; keeps the type checker informed
            continue
        firing = rules.plan(due, today, group.settings, cal)
        if firing is not None:
            planned[rules.TASK_KINDS[firing.stage]][due] = firing
    # One query per kind, with constant parameters (no CASE over hundreds of deadlines):
    # a reminder ahead or on the day is sent once per deadline value, and the current overdue
    # step counts as sent when an overdue reminder was recorded within the last
    # ``overdue_every`` working days (the previous step is exactly that far back).
    overdue_since = cal.add_working_days(today, -group.settings.overdue_every)
    for kind, by_deadline in sorted(planned.items()):
        sent = Notification.objects.filter(task_id=OuterRef("pk"), kind=kind)
        if kind == NotificationKind.OVERDUE:
            sent = sent.filter(occurrence__gt=overdue_since, occurrence__lte=today)
        else:
            sent = sent.filter(occurrence=OuterRef("deadline"))
        tasks = candidates.filter(deadline__in=sorted(by_deadline))
        yield Batch(kind, tasks.filter(~Exists(sent)), by_deadline=by_deadline)


def _report_batches(
    today: dt.date, group: Group, open_q: Q, cal: WorkingCalendar
) -> Iterator[Batch]:
    for window in rules.report_periods(today, group.settings, cal):
        firing = rules.plan(window.due, today, group.settings, cal)
        if firing is None:
            continue
        kind = rules.REPORT_KINDS[firing.stage]
        assigned_before_end = timezone.make_aware(
            dt.datetime.combine(window.end + dt.timedelta(days=1), dt.time())
        )
        tasks = Task.objects.filter(
            open_q,
            group.q(),
            Q(deadline__isnull=True) | Q(deadline__gte=window.start),
            assigned_at__lt=assigned_before_end,
        ).exclude(latest_progress_on__gte=window.start)
        period_kind = (
            DeadlineKind.MONTH
            if group.settings.report_period == ReportPeriod.MONTHLY
            else DeadlineKind.QUARTER
        )
        sent = Notification.objects.filter(
            task_id=OuterRef("pk"), kind=kind, occurrence=firing.occurrence
        )
        yield Batch(
            kind,
            tasks.filter(~Exists(sent)),
            firing=firing,
            report=window,
            period_kind=period_kind,
        )


def _task_link() -> Callable[[int], str]:
    """``Task.get_absolute_url`` for many tasks: one ``reverse``, not one per row."""
    marker = 987654321
    prefix, suffix = reverse("programs:task_detail", args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def _notifications_for(
    batch: Batch, tasks: list[Task], today: dt.date, cal: WorkingCalendar
) -> list[Notification]:
    directory = directory_for(tasks)
    link = _task_link()
    by_language: dict[str, list[tuple[Notification, MessageContext]]] = defaultdict(list)
    for task in tasks:
        firing = batch.firing_for(task)
        if firing is None:
            continue
        due = batch.report.due if batch.report else task.deadline
        days = firing.days_overdue
        if firing.stage == rules.AHEAD and due is not None:
            days = cal.working_days_between(today, rules.last_working_day_until(due, cal))
        for user_id, level in recipients(task, firing.level, directory).items():
            ctx = MessageContext(
                kind=batch.kind,
                task_label=str(task),
                due=due,
                level=level,
                days=days,
                period_kind=batch.period_kind,
                period_end=batch.report.end if batch.report else None,
            )
            row = Notification(
                recipient_id=user_id,
                task_id=task.pk,
                kind=batch.kind,
                level=level,
                occurrence=firing.occurrence,
                due=due,
                link=link(task.pk),
                # Decided now, so that delivery never has to touch rows it will not send.
                email_claim="" if directory.wants_email(user_id) else SKIPPED,
            )
            by_language[user_language(directory.users[user_id])].append((row, ctx))
    # One language switch per language, not per message: switching costs more than rendering.
    rows = []
    for language, pending in by_language.items():
        with translation.override(language):
            for row, ctx in pending:
                row.message = compose_message(ctx)
                rows.append(row)
    return rows


def reminders_run(
    *,
    today: dt.date,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    send_email: bool = True,
    cal: WorkingCalendar = default_calendar,
) -> ReminderRun:
    """Create every reminder due ``today`` that does not exist yet, then deliver emails.

    Safe to run twice, concurrently, or again after a crash: each batch commits on its own
    and the unique key turns a repeated insert into nothing. ``on_batch`` is called after each
    committed batch with the number of rows attempted (progress logging).
    """
    run = ReminderRun.objects.create(today=today)
    first_id = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for batch in due_batches(today, cal):
        # The scan query runs once per batch; paging it (ORDER BY pk LIMIT) re-ran the whole
        # filter for every page. The ids are small; the rows are loaded a chunk at a time.
        due_ids = list(batch.tasks.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(due_ids), batch_size):
            tasks = list(
                Task.objects.filter(pk__in=due_ids[start : start + batch_size])
                .select_related("program")
                .only(*TASK_FIELDS)
                .order_by("pk")
            )
            rows = _notifications_for(batch, tasks, today, cal)
            with transaction.atomic():
                Notification.objects.bulk_create(rows, ignore_conflicts=True)
            if on_batch is not None:
                on_batch(len(rows))
    run_sources(today)  # other apps' daily reminders (unit reports...), through ``notify``
    run.created = Notification.objects.filter(pk__gt=first_id).count()
    if send_email:
        run.emailed = deliver_immediate() + deliver_digests()
    run.finished_at = timezone.now()
    run.save(update_fields=["created", "emailed", "finished_at"])
    logger.info("reminders_run %s: %s created, %s emailed", today, run.created, run.emailed)
    return run
