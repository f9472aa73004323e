"""haven users create | list | agencies"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error
from haven.accounts.models import Agency, Role, User
from haven.accounts.provisioning import user_create
from haven.core.errors import HavenError


class Command(BaseCommand):
    help = "Create and list user accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user with a role in an agency.")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--agency-id", dest="agency_id", help="See `haven users agencies` (not needed for system_admin).")
        create.add_argument("--password-file", dest="password_file",
                            help="Read the password from this file's first line (otherwise you are asked for it).")
        listing = sub.add_parser("list", help="List users with their role, agency and two-factor status.")
        listing.add_argument("--agency-id", dest="agency_id")
        sub.add_parser("agencies", help="List agencies and their ids.")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict) -> None:
        password = self._password(options["password_file"])
        try:
            user = user_create(
                acting_user=None, username=options["username"], role=options["role"],
                agency_id=options["agency_id"], password=password, channel=CHANNEL,
            )
        except HavenError as exc:
            raise cli_error(exc) from exc
        agency = user.agency.name if user.agency else "no agency"
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.get_role_display()}, {agency})."))

    def _password(self, path: str | None) -> str:
        if path:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read the password file: {exc.strerror} ({path})") from exc
            if not lines or not lines[0]:
                raise CommandError(f"the password file {path} is empty")
            return lines[0]
        if not sys.stdin.isatty():
            raise CommandError("give --password-file: there is no terminal to ask for the password")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first

    def _list(self, options: dict) -> None:
        users = User.objects.select_related("agency").order_by("agency__name", "username")
        if options["agency_id"]:
            if not str(options["agency_id"]).isdigit():
                raise CommandError("--agency-id is a number: see `haven users agencies`")
            users = users.filter(agency_id=options["agency_id"])
        rows = [
            (u.username, str(u.get_role_display()), u.agency.name if u.agency else "—",
             "active" if u.is_active else "inactive", "2FA" if u.has_2fa else "no 2FA",
             "locked" if u.is_locked() else "")
            for u in users
        ]
        self._table(rows, "No users.")

    def _agencies(self, options: dict) -> None:
        rows = [(str(a.pk), a.name, str(a.get_kind_display()), a.jurisdiction.name, "" if a.is_active else "inactive")
                for a in Agency.objects.select_related("jurisdiction").order_by("pk")]
        self._table(rows, "No agencies.")

    def _table(self, rows: Sequence[tuple[str, ...]], empty: str) -> None:
        if not rows:
            self.stdout.write(empty)
            return
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
