"""Notification centre, preferences, and the leaders' urge button (HTMX-friendly)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import PermissionDeniedError, validation_messages
from tiendo.orgs.scope import scope_for
from tiendo.programs import selectors as program_selectors
from tiendo.programs.access import can_manage_program

from . import selectors, services
from .forms import PreferenceForm, ReminderSettingsForm, UrgeForm
from .models import DEFAULTS, ReminderSettings

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notification_list(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "reminders/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(request.user, notification_id)
    services.notification_mark_read(notification=notification)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"n": notification, "unread": selectors.unread_count(request.user), "oob": True}
        return render(request, "reminders/_notification.html", context)
    return redirect(request.POST.get("next") or notification.link)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("reminders:list")


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reminders/_badge.html", {"unread": selectors.unread_count(request.user)}
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_get(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={"email_mode": current.email_mode, "language": request.user.language},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in validation_messages(error).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            response = redirect("reminders:preferences")
            if form.cleaned_data["language"]:
                response.set_cookie("django_language", form.cleaned_data["language"])
            return response
    status = 400 if form.errors else 200
    return render(request, "reminders/preferences.html", {"form": form}, status=status)


@login_required
@require_POST
def task_urge(request: HttpRequest, task_id: int) -> HttpResponse:
    task = program_selectors.task_get(scope_for(request.user), task_id)  # 404 outside scope
    form = UrgeForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            sent = services.task_urge(actor=request.user, task=task, note=form.cleaned_data["note"])
        except PermissionDeniedError as error:
            form.add_error(None, error.message)
            status = 403
        except ValidationError as error:
            for message in validation_messages(error).get("__all__", []) + validation_messages(
                error
            ).get("note", []):
                form.add_error(None, message)
            status = 400
        else:
            messages.success(
                request,
                _("Urged: %(names)s.") % {"names": ", ".join(str(n.recipient) for n in sent)},
            )
            form = UrgeForm()
    else:
        status = 400
    if request.htmx:  # type: ignore[attr-defined]
        from .templatetags.reminders_tags import history_context

        context = history_context(request, task, urge_form=form)
        return render(request, "reminders/_task_history.html", context, status=status)
    if status != 200:
        for text in form.non_field_errors():
            messages.error(request, str(text))
    return redirect(task.get_absolute_url())


@login_required
def program_settings(request: HttpRequest, program_id: int) -> HttpResponse:
    """A program's reminder rules: read by anyone who sees the program, changed by its leaders."""
    scope = scope_for(request.user)
    program = program_selectors.program_get(scope, program_id)  # 404 outside scope
    row = ReminderSettings.objects.filter(program=program).first()
    can_edit = can_manage_program(scope, program)
    initial = {name: getattr(row or DEFAULTS, name) for name in services.SETTINGS_FIELDS}
    form = ReminderSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_edit:
            status = 403
            form.add_error(
                None, _("Only the program's committee or standing office can change its reminders.")
            )
        elif form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
            try:
                services.reminder_settings_update(actor=request.user, program=program, **fields)
            except ValidationError as error:
                for field, errors in validation_messages(error).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("The reminder rules of this program are saved."))
                return redirect("reminders:program_settings", program_id=program.pk)
        if form.errors and status == 200:
            status = 400
    context = {"program": program, "form": form, "can_edit": can_edit, "is_default": row is None}
    return render(request, "reminders/program_settings.html", context, status=status)
