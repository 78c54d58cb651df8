"""Consultation rounds: services (send, answer, mark not answered, respond) and selectors
(visible rounds, who answered, who is late, response rates, the synthesis table).

A recipient's state as of a day ``on``: *answered on time* / *answered late* (answered by
``on``, on or before / after the deadline), *not answered* (marked by the drafter), *waiting*
(no answer, deadline not passed) or *late* (no answer, deadline passed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for
from tiendo.programs.models import Program, Task
from tiendo.programs.selectors import visible_programs

from .access import can_act_for
from .models import Answer, ConsultationRecipient, ConsultationRound, Response


class RecipientState(models.TextChoices):
    ON_TIME = "on_time", gettext_lazy("Answered on time")
    ANSWERED_LATE = "answered_late", gettext_lazy("Answered late")
    NOT_ANSWERED = "not_answered", gettext_lazy("Did not answer")
    WAITING = "waiting", gettext_lazy("Waiting, before the deadline")
    LATE = "late", gettext_lazy("No answer, past the deadline")


def recipient_state(recipient: ConsultationRecipient, deadline: dt.date, on: dt.date) -> str:
    if (
        recipient.answer == Answer.NOT_ANSWERED
        and recipient.answered_on
        and recipient.answered_on <= on
    ):
        return RecipientState.NOT_ANSWERED
    if recipient.answer and recipient.answered_on and recipient.answered_on <= on:
        return (
            RecipientState.ON_TIME
            if recipient.answered_on <= deadline
            else RecipientState.ANSWERED_LATE
        )
    return RecipientState.LATE if on > deadline else RecipientState.WAITING


# Services ---------------------------------------------------------------------------------


@transaction.atomic
def consultation_send(
    *,
    actor: Any,
    program: Program,
    title: str,
    sender_unit: Unit,
    units: Sequence[Unit],
    sent_on: dt.date,
    deadline: dt.date,
    questions: str = "",
    task: Task | None = None,
) -> ConsultationRound:
    """Send a draft to ``units`` for comments by ``deadline``."""
    if not can_act_for(scope_for(actor), sender_unit):
        raise PermissionDeniedError(_("You do not act for the drafting unit."))
    if not units:
        raise ValidationError({"units": _("Choose at least one unit to consult.")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    round_ = ConsultationRound(
        program=program, task=task, title=title.strip(), questions=questions.strip(),
        sender_unit=sender_unit, drafter=actor, sent_on=sent_on, deadline=deadline,
    )  # fmt: skip
    round_.full_clean()
    round_.save()
    ConsultationRecipient.objects.bulk_create(
        ConsultationRecipient(round=round_, unit=u, unit_path=u.path) for u in dict.fromkeys(units)
    )
    audit_record(
        actor=actor, action="consultation.send", obj=round_,
        after={**snapshot(round_), "units": [u.pk for u in units]},
    )  # fmt: skip
    return round_


@transaction.atomic
def consultation_answer(
    *, actor: Any, recipient: ConsultationRecipient, answer: str, on: dt.date, comments: str = ""
) -> ConsultationRecipient:
    """A consulted unit answers: agree, agree with comments, or disagree (with reasons)."""
    recipient = (
        ConsultationRecipient.objects.select_for_update()
        .select_related("unit")
        .get(pk=recipient.pk)
    )
    if not can_act_for(scope_for(actor), recipient.unit):
        raise PermissionDeniedError(_("Only the consulted unit can answer for itself."))
    if answer not in (Answer.AGREE, Answer.AGREE_WITH_COMMENTS, Answer.DISAGREE):
        raise ValidationError({"answer": _("Choose agree, agree with comments or disagree.")})
    if answer != Answer.AGREE and not comments.strip():
        raise ValidationError({"comments": _("Give your comments or the reasons for disagreeing.")})
    if recipient.answer:
        raise ValidationError(_("This unit has already answered."))
    if on > timezone.localdate() or on < recipient.round.sent_on:
        raise ValidationError({"on": _("The date must be between the sending day and today.")})
    recipient.answer, recipient.answered_on = answer, on
    recipient.comments, recipient.answered_by = comments.strip(), actor
    recipient.save(update_fields=["answer", "answered_on", "comments", "answered_by"])
    audit_record(
        actor=actor, action="consultation.answer", obj=recipient, after=snapshot(recipient)
    )
    return recipient


def _drafter_check(actor: Any, recipient: ConsultationRecipient) -> None:
    if not can_act_for(scope_for(actor), recipient.round.sender_unit):
        raise PermissionDeniedError(_("Only the drafting unit can do this."))


@transaction.atomic
def consultation_mark_not_answered(
    *, actor: Any, recipient: ConsultationRecipient, on: dt.date
) -> ConsultationRecipient:
    """After the deadline, the drafter records that a unit did not answer."""
    recipient = ConsultationRecipient.objects.select_for_update().get(pk=recipient.pk)
    _drafter_check(actor, recipient)
    if recipient.answer:
        raise ValidationError(_("This unit has already answered."))
    if on <= recipient.round.deadline:
        raise ValidationError(
            {"on": _("A unit can be marked as not answering only after the deadline.")}
        )
    recipient.answer, recipient.answered_on = Answer.NOT_ANSWERED, on
    recipient.save(update_fields=["answer", "answered_on"])
    audit_record(
        actor=actor, action="consultation.not_answered", obj=recipient, after=snapshot(recipient)
    )
    return recipient


@transaction.atomic
def consultation_respond(
    *, actor: Any, recipient: ConsultationRecipient, response: str, text: str
) -> ConsultationRecipient:
    """The drafter's response to a unit's comments: accepted, or explained (why not)."""
    recipient = ConsultationRecipient.objects.select_for_update().get(pk=recipient.pk)
    _drafter_check(actor, recipient)
    if recipient.answer not in (Answer.AGREE_WITH_COMMENTS, Answer.DISAGREE):
        raise ValidationError(_("Only comments and disagreements get a response."))
    if response not in (Response.ACCEPTED, Response.EXPLAINED):
        raise ValidationError({"response": _("Choose accepted or explained.")})
    if response == Response.EXPLAINED and not text.strip():
        raise ValidationError({"text": _("Explain why the comment is not taken up.")})
    before = snapshot(recipient, ["response", "response_text"])
    recipient.response, recipient.response_text = response, text.strip()
    recipient.save(update_fields=["response", "response_text"])
    audit_record(actor=actor, action="consultation.respond", obj=recipient, before=before,
                 after=snapshot(recipient, ["response", "response_text"]))  # fmt: skip
    return recipient


# Selectors --------------------------------------------------------------------------------


def visible_rounds(scope: Scope) -> QuerySet[ConsultationRound]:
    """Rounds the user drafts, is consulted in, or whose program their committee role covers."""
    if not scope.is_authenticated:
        return ConsultationRound.objects.none()
    if scope.is_admin:
        return ConsultationRound.objects.all()
    consulted = ConsultationRecipient.objects.filter(scope.subtree_q("unit_path")).values(
        "round_id"
    )
    covered = visible_programs(scope).filter(
        scope.program_wide_q("owner_unit__path", "standing_office_id")
    )
    return ConsultationRound.objects.filter(
        scope.subtree_q("sender_unit__path")
        | models.Q(pk__in=consulted)
        | models.Q(program__in=covered)
    )


def round_get(scope: Scope, round_id: int) -> ConsultationRound:
    round_ = (
        visible_rounds(scope).filter(pk=round_id).select_related("program", "sender_unit").first()
    )
    if round_ is None:
        raise Http404
    return round_


def round_recipients(
    round_: ConsultationRound, *, on: dt.date | None = None
) -> list[tuple[ConsultationRecipient, str]]:
    """Every consulted unit of a visible round with its state as of ``on`` (the synthesis table)."""
    on = on or timezone.localdate()
    rows = round_.recipients.select_related("unit").order_by("unit_path")
    return [(r, recipient_state(r, round_.deadline, on)) for r in rows]


def response_figures(states: Sequence[str]) -> dict[str, Any]:
    """Counts per state and the response rate (answered by the day / consulted)."""
    counts = Counter(states)
    figures: dict[str, Any] = {s.value: counts.get(s.value, 0) for s in RecipientState}
    answered = figures[RecipientState.ON_TIME] + figures[RecipientState.ANSWERED_LATE]
    figures["total"] = len(states)
    figures["answered"] = answered
    figures["response_rate"] = round(100 * answered / len(states), 1) if states else None
    return figures
