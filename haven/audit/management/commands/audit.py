"""haven audit verify"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain: exits 0 and says OK, or names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the chain from the first event.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(f"BROKEN at event {result.broken_seq}: {result.problem} ({result.checked} events before it are intact)")
        self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} events, chain intact."))
