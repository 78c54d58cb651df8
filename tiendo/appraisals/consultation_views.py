"""Consultation round page: who answered, who is late, the synthesis table; a consulted unit
answers, the drafter responds or marks a unit as not answering. Rounds come from the scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiendo.core.errors import PermissionDeniedError, validation_messages
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import program_get

from . import consultation, consultation_reminding, figures
from .access import can_act_for
from .models import Answer, Response


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (a.value, a.label) for a in (Answer.AGREE, Answer.AGREE_WITH_COMMENTS, Answer.DISAGREE)
        ],
    )
    comments = forms.CharField(
        label=gettext_lazy("Comments or reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    on = forms.DateField(
        label=gettext_lazy("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RespondForm(forms.Form):
    response = forms.ChoiceField(label=gettext_lazy("Response"), choices=Response.choices[1:])
    text = forms.CharField(
        label=gettext_lazy("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _page(request: HttpRequest, round_id: int, status: int = 200, **extra: Any) -> HttpResponse:
    scope = scope_for(request.user)
    round_ = consultation.round_get(scope, round_id)
    on = parse_date(request.GET.get("on") or "") or timezone.localdate()
    rows = consultation.round_recipients(round_, on=on)
    labels = dict(consultation.RecipientState.choices)
    context = {
        "round": round_,
        "on": on,
        "rows": [(r, s, labels[s], can_act_for(scope, r.unit) and not r.answer) for r, s in rows],
        "figures": consultation.response_figures([s for _, s in rows]),
        "is_drafter": can_act_for(scope, round_.sender_unit),
        "can_remind": can_act_for(scope, round_.sender_unit)
        and any(s in ("waiting", "late") for _, s in rows),
        "answer_form": extra.get("answer_form") or AnswerForm(),
        "respond_form": RespondForm(),
        "error": extra.get("error", ""),
    }
    return render(request, "appraisals/round.html", context, status=status)


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _page(request, round_id)


def _recipient(request: HttpRequest, round_id: int) -> Any:
    round_ = consultation.round_get(scope_for(request.user), round_id)
    return (
        round_.recipients.select_related("round", "unit")
        .filter(pk=request.POST.get("recipient"))
        .first()
    )


@login_required
@require_POST
def round_answer(request: HttpRequest, round_id: int) -> HttpResponse:
    recipient = _recipient(request, round_id)
    form = AnswerForm(request.POST)
    if recipient is not None and form.is_valid():
        try:
            consultation.consultation_answer(
                actor=request.user, recipient=recipient, answer=form.cleaned_data["answer"],
                comments=form.cleaned_data["comments"], on=form.cleaned_data["on"],
            )  # fmt: skip
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)
        except ValidationError as exc:
            for field, msgs in validation_messages(exc).items():
                for message in msgs:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("appraisals:round", round_id=round_id)
    return _page(request, round_id, status=400, answer_form=form)


@login_required
@require_POST
def round_respond(request: HttpRequest, round_id: int) -> HttpResponse:
    recipient = _recipient(request, round_id)
    form = RespondForm(request.POST)
    if recipient is not None and form.is_valid():
        try:
            consultation.consultation_respond(
                actor=request.user, recipient=recipient, response=form.cleaned_data["response"],
                text=form.cleaned_data["text"],
            )  # fmt: skip
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)
        except ValidationError as exc:
            return _page(request, round_id, status=400, error=" ".join(exc.messages))
        messages.success(request, _("Saved."))
        return redirect("appraisals:round", round_id=round_id)
    return _page(request, round_id, status=400, error=_("Choose accepted or explained."))


@login_required
def consulted_units(request: HttpRequest) -> HttpResponse:
    """Every consulted unit of the visible rounds (of a program), as of a day, narrowed to one
    figure's bucket (``state``): the list behind the dashboard's consultation figures."""
    scope = scope_for(request.user)
    on = parse_date(request.GET.get("on") or "") or timezone.localdate()
    raw = request.GET.get("program") or ""
    program = program_get(scope, int(raw)) if raw.isdigit() else None
    state = request.GET.get("state") or "total"
    if state not in figures.CONSULTATION_BUCKETS:
        state = "total"
    rows = figures.consultation_rows(scope, program=program, on=on)
    labels = dict(consultation.RecipientState.choices)
    context = {
        "program": program,
        "on": on,
        "state": state,
        "counts": figures.consultation_counts(rows),
        "rows": [(r, s, labels[s]) for r, s in figures.rows_in_bucket(rows, state)],
    }
    return render(request, "appraisals/consulted_units.html", context)


@login_required
@require_POST
def round_remind(request: HttpRequest, round_id: int) -> HttpResponse:
    """The drafter reminds the units that have not answered (each at most once a day)."""
    round_ = consultation.round_get(scope_for(request.user), round_id)
    try:
        created = consultation_reminding.consultation_remind(actor=request.user, round_=round_)
    except PermissionDeniedError as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    reached = sum(1 for n in created.values() if n)
    messages.success(
        request,
        _("Reminders sent: %(people)d people in %(units)d of %(total)d units without an answer.")
        % {"people": sum(created.values()), "units": reached, "total": len(created)},
    )
    if reached < len(created):
        messages.info(
            request,
            _("Units already reminded today, or with nobody to remind, received nothing more."),
        )
    return redirect("appraisals:round", round_id=round_id)
