"""haven audit verify | anchor"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.audit.services import audit_anchor, audit_verify, read_anchors


class Command(BaseCommand):
    help = "Check the audit trail's hash chain, or copy its head outside the database."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute the chain; exits 0 and says OK, or names the first broken event.")
        verify.add_argument("--anchors", help="Anchor file to check against (default: HAVEN_AUDIT_ANCHOR_FILE).")
        anchor = sub.add_parser("anchor", help="Append the chain head to the anchor file (run from cron).")
        anchor.add_argument("--anchors", help="Anchor file (default: HAVEN_AUDIT_ANCHOR_FILE).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options.get("anchors") or settings.HAVEN_AUDIT_ANCHOR_FILE)
        if options["action"] == "anchor":
            seq, head = audit_anchor(path)
            self.stdout.write(f"Anchored event {seq} ({head[:16]}…) in {path}")
            return
        try:
            anchors = read_anchors(path)
        except (ValueError, KeyError, OSError) as exc:
            raise CommandError(f"cannot read the anchor file {path}: {exc}") from exc
        result = audit_verify(anchors=anchors)
        if not result.ok:
            raise CommandError(
                f"BROKEN at event {result.broken_seq}: {result.problem} ({result.checked} events before it are intact)"
            )
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result.checked} events, chain intact; {len(anchors)} outside anchor(s) match."
        ))
