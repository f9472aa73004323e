"""haven demo [--reset] [--serve] [--host H] [--port P] [--force]

--reset   wipe the database's cases, people, users, agencies and audit trail, and load the synthetic
          Lào Cai demo (the key file is kept); does not start a server unless --serve is given too.
--serve   print the demo logins and start the development server (runserver --insecure --noreload).
no flag   load the demo if the database is empty, then serve.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from haven.core import crypto
from haven.core.demo.build import (
    DemoError,
    demo_load,
    demo_logins,
    demo_wipe,
    foreign_usernames,
    is_empty,
    is_loaded,
)
from haven.core.demo.org import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the synthetic Lào Cai demo data and/or serve it (see docs/demo.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Wipe and reload the demo data (keeps the keys).")
        parser.add_argument("--serve", action="store_true", help="Start the server after printing the logins.")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--force", action="store_true",
                            help="Reset even though the database holds users the demo did not create.")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {options['port']}")
        try:
            crypto.keyring()
        except crypto.KeyError_ as exc:
            raise CommandError(f"the demo needs encryption keys: {exc}") from exc
        self._migrate()
        if options["reset"]:
            self._reset(force=options["force"])
        elif not options["serve"]:
            if is_empty():
                self._load()
            elif not is_loaded():
                self.stdout.write("The database already holds users or agencies; the demo data was not loaded.")
        if options["serve"] or not options["reset"]:
            self._serve(options["host"], options["port"])

    def _migrate(self) -> None:
        if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
            self.stdout.write("Applying database migrations…")
            call_command("migrate", interactive=False, verbosity=0)

    def _reset(self, *, force: bool) -> None:
        others = foreign_usernames()
        if others and not force:
            shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
            raise CommandError(
                f"the database holds {len(others)} user(s) the demo did not create ({shown}). A reset deletes "
                "every case, user and audit event: run it only on a demo database, with --force if you are sure."
            )
        try:
            demo_wipe()
        except DemoError as exc:
            raise CommandError(f"cannot wipe the database: {exc}") from exc
        except DatabaseError as exc:
            # A production role may not delete audit events (docs/operations.md): that is the point.
            raise CommandError(f"the database refused the reset ({exc}); run the demo as the database owner, "
                               "and never on a database with real data") from exc
        self._load()

    def _load(self) -> None:
        summary = demo_load()
        self.stdout.write(self.style.SUCCESS(
            f"Demo loaded in {summary.seconds:.1f} s: {summary.persons} synthetic persons, {summary.cases} cases, "
            f"{summary.agencies} agencies, {summary.users} users, {summary.referrals} referrals, "
            f"{summary.audit_events} audit events."
        ))
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        width = max(len(row["username"]) for row in logins)
        role_width = max(len(str(row["role"])) for row in logins)
        self.stdout.write("\nDemo logins (all synthetic data):")
        for row in logins:
            self.stdout.write(f"  {row['username']:<{width}}  {row['role']!s:<{role_width}}  {row['agency']}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        if settings.HAVEN_REQUIRE_2FA:
            self.stdout.write("Two-factor authentication is enforced: users whose role needs it enrol on first "
                              "login (set HAVEN_REQUIRE_2FA=false for the demo, as `make demo` does).")
        self.stdout.write("")

    def _serve(self, host: str, port: int) -> None:
        self._print_logins()
        self.stdout.write(f"Serving Haven at http://{host}:{port}/ — press Ctrl+C to stop.")
        # --insecure: serve static files without DEBUG; --noreload: one process, so Ctrl+C stops it.
        call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)
