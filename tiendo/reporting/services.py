"""Writes of the reporting regime. Each is atomic, checks permission and records an audit entry.

Workflow of a unit report (one row per version):

    draft --submit--> submitted --accept--> accepted
                         |
                         +--return (comments)--> returned   (frozen, kept)
                                                   + new draft version n+1 --submit--> ...

A sent version is never edited: ``report_update`` refuses anything but a draft, and the figures
as of the period end are frozen into the version when it is submitted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Program
from tiendo.programs.selectors import today

from . import reminding
from .consolidation import build_snapshot, snapshot_hash
from .models import (
    ACTIVE_RUN_STATES,
    ConsolidatedReport,
    ConsolidationRun,
    DueRule,
    FileState,
    Frequency,
    ReportPeriod,
    ReportSchedule,
    ReportState,
    RunState,
    Theme,
    UnitReport,
)
from .periods import due_date, period_containing
from .selectors import can_edit_report, reporting_units, unit_figures

logger = logging.getLogger(__name__)
TEXT_MAX = 20_000
REPORT_FIELDS = (
    "results",
    "difficulties",
    "difficulties_theme",
    "proposals",
    "proposals_theme",
)


def _require_manager(actor: Any, program: Program) -> None:
    if not can_manage_program(scope_for(actor), program):
        raise PermissionDeniedError(
            _("Only the program's committee leaders and standing office can do this.")
        )


# Schedules and periods ----------------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *,
    actor: Any,
    program: Program,
    name: str,
    frequency: str,
    due_rule: str,
    due_value: int,
    units: Iterable[Unit],
) -> ReportSchedule:
    """A reporting schedule of ``program`` and the units that must report under it."""
    _require_manager(actor, program)
    units = list(units)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the schedule a name.")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often the units report.")
    if due_rule not in DueRule.values:
        errors["due_rule"] = _("Choose a due rule.")
    elif due_rule == DueRule.DAY_OF_LAST_MONTH and not 1 <= due_value <= 31:
        errors["due_value"] = _("The day must be between 1 and 31.")
    elif due_rule == DueRule.WORKING_DAYS_AFTER_END and not 0 <= due_value <= 60:
        errors["due_value"] = _("The number of working days must be between 0 and 60.")
    if not units:
        errors["units"] = _("Choose at least one unit that must report.")
    elif {u.pk for u in units} - set(reporting_units(program).values_list("pk", flat=True)):
        errors["units"] = _("Choose units that lead tasks of this program or belong to its owner.")
    if errors:
        raise ValidationError(errors)
    schedule = ReportSchedule.objects.create(
        program=program,
        name=name.strip(),
        frequency=frequency,
        due_rule=due_rule,
        due_value=due_value,
        created_by=actor,
    )
    schedule.units.set(units)
    audit_record(
        actor=actor,
        action="report.schedule_create",
        obj=schedule,
        after={**snapshot(schedule), "units": sorted(u.pk for u in units)},
    )
    return schedule


@transaction.atomic
def period_open(
    *,
    actor: Any,
    schedule: ReportSchedule,
    day: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ReportPeriod:
    """Open the period containing ``day`` (or the ad hoc ``start``-``end``) and give every
    obliged unit a draft report. Opening an open period again returns it unchanged."""
    _require_manager(actor, schedule.program)
    if schedule.frequency == Frequency.AD_HOC:
        if start is None or end is None:
            raise ValidationError({"start": _("An ad hoc period needs its first and last day.")})
        if end < start:
            raise ValidationError({"end": _("The last day cannot be before the first day.")})
    else:
        p = period_containing(schedule.frequency, day or today())
        start, end = p.start, p.end
    period, created = ReportPeriod.objects.get_or_create(
        schedule=schedule,
        start=start,
        end=end,
        defaults={"due_on": due_date(schedule.due_rule, schedule.due_value, end)},
    )
    if created:
        UnitReport.objects.bulk_create(
            UnitReport(period=period, unit=u) for u in schedule.units.all()
        )
        audit_record(actor=actor, action="report.period_open", obj=period, after=snapshot(period))
    return period


# Unit reports -------------------------------------------------------------------------------


def _lock(report: UnitReport) -> UnitReport:
    return (
        UnitReport.objects.select_for_update()
        .select_related("period__schedule__program", "unit")
        .get(pk=report.pk)
    )


def _check_version(report: UnitReport, edit_version: int | None) -> None:
    if edit_version is not None and edit_version != report.edit_version:
        raise ConflictError(
            _("Someone else changed this report after you opened it. Reload it and try again.")
        )


@transaction.atomic
def report_update(
    *, actor: Any, report: UnitReport, edit_version: int | None, **fields: Any
) -> UnitReport:
    """Change the free text of a draft (results, difficulties, proposals and their themes)."""
    report = _lock(report)
    if not can_edit_report(scope_for(actor), report.unit):
        raise PermissionDeniedError(_("Only the unit's leaders and officers can write its report."))
    if not report.is_editable:
        raise ConflictError(_("This report has been sent and can no longer be changed."))
    _check_version(report, edit_version)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    errors: dict[str, str] = {}
    for name, value in fields.items():
        value = (value or "").strip()
        if name.endswith("_theme"):
            if value and value not in Theme.values:
                errors[name] = _("Choose a theme from the list.")
        elif len(value) > TEXT_MAX:
            errors[name] = _("At most %(max)s characters.") % {"max": TEXT_MAX}
        fields[name] = value
    if errors:
        raise ValidationError(errors)
    before = snapshot(report, REPORT_FIELDS)
    for name, value in fields.items():
        setattr(report, name, value)
    report.edit_version += 1
    report.save(update_fields=[*fields, "edit_version", "updated_at"])
    audit_record(
        actor=actor,
        action="report.update",
        obj=report,
        before=before,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_submit(*, actor: Any, report: UnitReport, edit_version: int | None = None) -> UnitReport:
    """Send a draft: its figures as of the period end are frozen into it, the time recorded."""
    report = _lock(report)
    if not can_edit_report(scope_for(actor), report.unit):
        raise PermissionDeniedError(_("Only the unit's leaders and officers can send its report."))
    if report.state != ReportState.DRAFT:
        raise ConflictError(_("This report has already been sent."))
    _check_version(report, edit_version)
    if not report.results.strip():
        raise ValidationError({"results": _("Describe the results before sending the report.")})
    program = report.period.schedule.program
    report.figures = unit_figures(program, report.unit, report.period)
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.edit_version += 1
    report.save()
    audit_record(
        actor=actor,
        action="report.submit",
        obj=report,
        before={"state": ReportState.DRAFT},
        after=snapshot(report, ("state", "submitted_at", "version")),
    )
    return report


def _review(actor: Any, report: UnitReport) -> UnitReport:
    report = _lock(report)
    _require_manager(actor, report.period.schedule.program)
    if report.state != ReportState.SUBMITTED:
        raise ConflictError(
            _("Only a report that has been sent and not yet reviewed can be reviewed.")
        )
    return report


@transaction.atomic
def report_accept(*, actor: Any, report: UnitReport, comment: str = "") -> UnitReport:
    report = _review(actor, report)
    report.state = ReportState.ACCEPTED
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.review_comment = comment.strip()
    report.save(
        update_fields=["state", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="report.accept",
        obj=report,
        before={"state": ReportState.SUBMITTED},
        after=snapshot(report, ("state", "review_comment")),
    )
    return report


@transaction.atomic
def report_return(*, actor: Any, report: UnitReport, comment: str) -> UnitReport:
    """Send a report back with comments: it stays as sent, and a new draft version (a copy of
    its text) is opened for the unit to correct and send again. Returns the new draft."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the unit must correct.")})
    report = _review(actor, report)
    report.state = ReportState.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.review_comment = comment.strip()
    report.save(
        update_fields=["state", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    draft = UnitReport.objects.create(
        period=report.period,
        unit=report.unit,
        version=report.version + 1,
        **{name: getattr(report, name) for name in REPORT_FIELDS},
    )
    audit_record(
        actor=actor,
        action="report.return",
        obj=report,
        before={"state": ReportState.SUBMITTED},
        after={**snapshot(report, ("state", "review_comment")), "new_version": draft.pk},
    )
    return draft


# Consolidated report ------------------------------------------------------------------------


@transaction.atomic
def report_consolidate(*, actor: Any, period: ReportPeriod, number: str = "") -> ConsolidatedReport:
    """The consolidated report of ``period``, computed as of its end and frozen.

    Consolidating a period again recomputes the figures: the same numbers give back the stored
    report; different numbers (a report sent since, history changed) are refused, so one period
    never has two versions of the truth.
    """
    period = (
        ReportPeriod.objects.select_for_update()
        .select_related("schedule__program")
        .get(pk=period.pk)
    )
    program = period.schedule.program
    _require_manager(actor, program)
    if period.end >= today():
        raise ValidationError(
            _("The period has not ended yet: it can be consolidated from the day after it ends.")
        )
    now = timezone.now()
    existing = ConsolidatedReport.objects.filter(period=period).first()
    data = build_snapshot(program, period, existing.created_at if existing else now)
    digest = snapshot_hash(data)
    if existing is not None:
        if existing.snapshot_hash != digest:
            raise ConflictError(
                _(
                    "This period was already consolidated and its figures have changed since; the "
                    "stored report stands."
                )
            )
        return existing
    report = ConsolidatedReport.objects.create(
        period=period,
        number=number.strip() or default_number(program, period),
        snapshot=data,
        snapshot_hash=digest,
        generated_by=actor,
    )
    audit_record(
        actor=actor,
        action="report.consolidate",
        obj=report,
        after={"period": period.pk, "hash": digest, "number": report.number},
    )
    return report


STALE_RUN = dt.timedelta(hours=3)  # a run "in progress" this long was cut off (worker killed)


@transaction.atomic
def consolidation_request(
    *, actor: Any, period: ReportPeriod, number: str = ""
) -> ConsolidationRun:
    """Ask for the consolidated report of ``period``, computed in the background.

    Checks what can be checked at once (permission, the period has ended) and queues
    ``tasks.consolidate_period``. Idempotent: while a run of the period is queued or running,
    asking again returns that run (two clicks, one job). A run left "running" for
    ``STALE_RUN`` (its worker died) is marked failed and a new one is queued. The job calls
    ``report_consolidate``, so the frozen semantics hold: the same figures return the stored
    report, different ones fail the run with the conflict recorded.
    """
    period = (
        ReportPeriod.objects.select_for_update()
        .select_related("schedule__program")
        .get(pk=period.pk)
    )
    _require_manager(actor, period.schedule.program)
    if period.end >= today():
        raise ValidationError(
            _("The period has not ended yet: it can be consolidated from the day after it ends.")
        )
    number = number.strip()
    if len(number) > 100:
        raise ValidationError({"number": _("At most %(max)s characters.") % {"max": 100}})
    now = timezone.now()
    active = ConsolidationRun.objects.filter(period=period, state__in=ACTIVE_RUN_STATES).first()
    if active is not None:
        started = active.started_at or active.created_at
        if active.state == RunState.QUEUED or started > now - STALE_RUN:
            return active
        active.state, active.finished_at = RunState.FAILED, now
        active.error, active.error_code = _("The run was interrupted."), "interrupted"
        active.save(update_fields=["state", "finished_at", "error", "error_code"])
    run = ConsolidationRun.objects.create(period=period, number=number, requested_by=actor)
    audit_record(
        actor=actor,
        action="report.consolidate_request",
        obj=run,
        after={"period": period.pk, "number": number},
    )
    from .tasks import consolidate_period

    pk = run.pk
    transaction.on_commit(lambda: consolidate_period.enqueue(pk))
    return run


def consolidation_execute(*, run_id: int) -> ConsolidationRun:
    """The background job's work: claim the queued run, consolidate, record the outcome.

    A run already claimed (the job delivered twice) is returned unchanged. Failures are
    recorded on the run, never lost: a conflict (figures changed since the stored report),
    a refusal (rights withdrawn meanwhile), or an unexpected error (logged).
    """
    now = timezone.now()
    claimed = ConsolidationRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RUNNING, started_at=now
    )
    run = ConsolidationRun.objects.select_related("period", "requested_by").get(pk=run_id)
    if not claimed:
        return run
    code, error = "", ""
    try:
        report = report_consolidate(actor=run.requested_by, period=run.period, number=run.number)
        run.consolidated = report
    except ConflictError as exc:
        code, error = "conflict", str(exc.message)
    except (ValidationError, PermissionDeniedError) as exc:
        code, error = "refused", " ".join(getattr(exc, "messages", [str(exc)]))
    except Exception as exc:  # recorded on the run and shown with a retry
        logger.exception("consolidation run %s failed", run_id)
        code, error = "error", f"{type(exc).__name__}: {exc}"
    run.state = RunState.FAILED if code else RunState.DONE
    run.error, run.error_code, run.finished_at = error, code, timezone.now()
    run.save(update_fields=["state", "error", "error_code", "finished_at", "consolidated"])
    return run


def default_number(program: Program, period: ReportPeriod) -> str:
    """ "Số: …/BC-<office>": the number itself is given by the records office when issued."""
    office = program.standing_office or program.owner_unit
    symbol = (office.short_name or office.code).upper().replace(" ", "")
    return f"…/BC-{symbol}"


@transaction.atomic
def files_request(*, actor: Any, consolidated: ConsolidatedReport) -> ConsolidatedReport:
    """Queue the generation of the DOCX, XLSX and PDF files (a background task)."""
    report = ConsolidatedReport.objects.select_for_update().get(pk=consolidated.pk)
    _require_manager(actor, report.period.schedule.program)
    if report.file_state in (FileState.QUEUED, FileState.RUNNING):
        return report
    report.file_state, report.file_progress, report.file_error = FileState.QUEUED, 0, ""
    report.save(update_fields=["file_state", "file_progress", "file_error", "updated_at"])
    audit_record(actor=actor, action="report.files_request", obj=report)
    from .tasks import generate_report_files

    pk = report.pk
    transaction.on_commit(lambda: generate_report_files.enqueue(pk))
    return report


@transaction.atomic
def remind_missing(*, actor: Any, period: ReportPeriod, unit_ids: Iterable[int]) -> list[int]:
    """Remind the units (of ``unit_ids``) that have not sent their report for ``period``.

    Each unit's officers and leaders receive a notification (in-app and by email, in their own
    language) through ``tiendo.reminders.services.notify``; the longer the report is late, the
    higher it climbs per the program's reminder settings (``reminding.escalation_level``).
    Exactly once per (period, unit, day): pressing the button again the same day reaches
    nobody twice. Recorded in the audit trail. Returns the units reminded.
    """
    _require_manager(actor, period.schedule.program)
    ids = reminding.missing_units(period, unit_ids)
    day = today()
    settings = reminding.reminder_settings(period.schedule.program)
    level = max(reminding.escalation_level(period, day, settings), 1)
    sent = reminding.send(
        actor=actor, period=period, unit_ids=ids, level=level, key=day.isoformat(), today=day
    )
    audit_record(
        actor=actor,
        action="report.remind",
        obj=period,
        after={"units": ids, "level": level, "notifications": sum(sent.values())},
        summary=_("Reminder to send the report for %(period)s") % {"period": period.label},
    )
    return ids
