"""``tiendo revoke-api-token PREFIX``: revoke a token by the prefix shown in its listing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiendo.accounts.models import ApiToken
from tiendo.accounts.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (the part after 'td_' in the secret)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["prefix"].strip().removeprefix("td_").split("_")[0]
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {prefix} of {token.user.username} was already revoked.")
            return
        api_token_revoke(token=token)
        self.stdout.write(f"Revoked token {prefix} ({token.name}) of {token.user.username}.")
