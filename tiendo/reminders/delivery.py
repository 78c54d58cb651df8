"""Email delivery of notifications, after they are committed, each at most once.

A notification is emailed in three steps: *claim* it (a conditional UPDATE that only one
process can win), send it, then mark it ``emailed_at``. Consequences (see README, Guarantees):

- two runs at the same time never send the same email: only one wins the claim;
- a failure to send (SMTP down) releases the claim: the next run retries;
- a crash after the claim and before the send leaves a claim that expires after
  ``STALE_CLAIM`` and is then retried: nothing is lost;
- the one window for a duplicate is a crash after the mail server accepted the message and
  before the ``emailed_at`` mark committed (one UPDATE, milliseconds): then the email is sent
  again after ``STALE_CLAIM``. No mail protocol can close that window.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .messages import absolute_url, render_subject, user_language
from .models import EmailMode, Notification

logger = logging.getLogger(__name__)
STALE_CLAIM = dt.timedelta(hours=1)
SKIPPED = "skipped"  # claim value of notifications that are never emailed (no address, opted out)


def _claimable(now: dt.datetime) -> Q:
    # The first two conditions match the partial index ``notification_email_todo``.
    fresh = Q(email_claim="")
    expired = Q(email_claimed_at__lt=now - STALE_CLAIM)
    return Q(emailed_at__isnull=True) & ~Q(email_claim=SKIPPED) & (fresh | expired)


def _mode_q(mode: str) -> Q:
    if mode == EmailMode.IMMEDIATE:
        return Q(recipient__notification_preference__isnull=True) | Q(
            recipient__notification_preference__email_mode=EmailMode.IMMEDIATE
        )
    return Q(recipient__notification_preference__email_mode=mode)


def _skip_unwanted(now: dt.datetime) -> None:
    """Notifications of people without an address or who chose no email are never sent.

    The engine already marks these at insert; this catches a preference changed since.
    """
    Notification.objects.filter(_claimable(now)).filter(
        Q(recipient__email="") | _mode_q(EmailMode.NONE)
    ).update(email_claim=SKIPPED, email_claimed_at=now)


def _claim(pks: Iterable[int], now: dt.datetime) -> str | None:
    token = uuid.uuid4().hex
    won = (
        Notification.objects.filter(pk__in=list(pks))
        .filter(_claimable(now))
        .update(email_claim=token, email_claimed_at=now)
    )
    return token if won else None


def _release(token: str) -> None:
    Notification.objects.filter(email_claim=token, emailed_at__isnull=True).update(
        email_claim="", email_claimed_at=None
    )


def _send(recipient: object, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    send_mail(subject, body, None, [recipient.email])  # type: ignore[attr-defined]


def deliver_immediate(ids: Iterable[int] | None = None) -> int:
    """Email each pending notification of people who want one email per reminder."""
    now = timezone.now()
    _skip_unwanted(now)
    pending = Notification.objects.filter(_claimable(now)).filter(_mode_q(EmailMode.IMMEDIATE))
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent = 0
    for notification in pending.select_related("recipient", "task").order_by("pk").iterator():
        token = _claim([notification.pk], now)
        if token is None:
            continue  # another process claimed it
        language = user_language(notification.recipient)
        with translation.override(language):
            context = {
                "notification": notification,
                "url": absolute_url(notification.link),
                "preferences_url": absolute_url(reverse("reminders:preferences")),
            }
            subject = notification.subject or render_subject(
                notification.kind, str(notification.task), language
            )
            try:
                _send(notification.recipient, subject, "reminders/email/notification.txt", context)
            except Exception:
                _release(token)
                logger.exception(
                    "email of notification %s failed; it will be retried", notification.pk
                )
                raise
        Notification.objects.filter(pk=notification.pk, email_claim=token).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


def deliver_digests() -> int:
    """One email per person in digest mode, with everything not yet emailed to them."""
    now = timezone.now()
    _skip_unwanted(now)
    pending = (
        Notification.objects.filter(_claimable(now))
        .filter(_mode_q(EmailMode.DIGEST))
        .values_list("recipient_id", "pk")
    )
    by_user: dict[int, list[int]] = defaultdict(list)
    for user_id, pk in pending:
        by_user[user_id].append(pk)
    sent = 0
    for pks in by_user.values():
        token = _claim(pks, now)
        if token is None:
            continue
        items = list(
            Notification.objects.filter(email_claim=token)
            .select_related("recipient")
            .order_by("-created_at", "-id")
        )
        if not items:
            continue
        recipient = items[0].recipient
        language = user_language(recipient)
        with translation.override(language):
            subject = _("[tiendo] Your reminders: %(count)s") % {"count": len(items)}
            context = {
                "items": [(n, absolute_url(n.link)) for n in items],
                "preferences_url": absolute_url(reverse("reminders:preferences")),
            }
            try:
                _send(recipient, subject, "reminders/email/digest.txt", context)
            except Exception:
                _release(token)
                logger.exception("digest email to user %s failed; it will be retried", recipient.pk)
                raise
        Notification.objects.filter(email_claim=token).update(emailed_at=timezone.now())
        sent += 1
    return sent
