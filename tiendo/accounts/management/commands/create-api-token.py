"""``tiendo create-api-token USERNAME --name NAME [--days N]``: print a new token's secret once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tiendo.accounts.models import TokenScope, User
from tiendo.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print its secret (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'ETL'.")
        parser.add_argument(
            "--read-only", action="store_true", help="A token that can read but never write."
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default: never)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {user.username!r} is inactive; a token would not work.")
        name = options["name"].strip()
        if not name or len(name) > 100:
            raise CommandError("--name must be 1 to 100 characters.")
        days = options["days"]
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650.")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        token, secret = api_token_create(
            user=user,
            name=name,
            expires_at=expires_at,
            scope=TokenScope.READ if options["read_only"] else TokenScope.WRITE,
        )
        self.stderr.write(
            f"Token {token.prefix} for {user.username}"
            + (f", expires {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else ", no expiry")
            + ". Store the secret now: it cannot be shown again."
        )
        # The secret alone on stdout, so a script can capture it.
        self.stdout.write(secret)
