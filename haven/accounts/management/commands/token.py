"""haven token create USERNAME --name NAME [--days N]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.utils import timezone

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.accounts.services import token_create
from haven.core.errors import HavenError


class Command(BaseCommand):
    help = "Create an API token for a user. The token is printed once; only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a bearer token for the API.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for, e.g. 'reporting script'.")
        create.add_argument("--days", type=int, help="Days until it expires (default HAVEN_API_TOKEN_DAYS).")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["username"])
        longest = settings.HAVEN_API_TOKEN_DAYS  # the same limit as tokens made through the API
        if options["days"] is not None and not 1 <= options["days"] <= longest:
            raise CommandError(f"--days must be between 1 and {longest} (HAVEN_API_TOKEN_DAYS)")
        try:
            token, plain = token_create(user=user, name=options["name"], days=options["days"], channel=CHANNEL)
        except HavenError as exc:
            raise cli_error(exc) from exc
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stderr.write(f"Token {token.name!r} for {user.username}, expires {expires}. "
                          "It is shown once: store it now.")
        self.stdout.write(plain)
