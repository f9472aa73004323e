"""haven funding list|add|deactivate, acting as a named user (--as) of the agency."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, no_translations

from haven.support import selectors
from haven.support.funding import funding_source_create, funding_source_deactivate
from haven.support.management.commands._support_cli import CHANNEL, SupportCommand
from haven.support.models import FundingKind


class Command(SupportCommand):
    help = "Funding sources of your agency: list (with what was spent), add, deactivate."
    COLUMNS = ["id", "kind", "name", "code", "is_active", "approved", "pending"]

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        self.add_common(sub.add_parser("list", help="Your agency's funding sources and their balances."))
        add = sub.add_parser("add", help="Add a funding source (agency administrators and supervisors).")
        self.add_common(add)
        add.add_argument("--kind", choices=FundingKind.values, required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--code", default="")
        off = sub.add_parser("deactivate", help="No new entry may use the source.")
        self.add_common(off)
        off.add_argument("source_id")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)

    def _row(self, source: Any, sums: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"id": source.pk, "kind": source.kind, "name": source.name, "code": source.code,
                "is_active": source.is_active, **(sums or {})}

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        rows = []
        for row in selectors.funding_balances(user.agency_id):
            source = row.pop("source")
            rows.append(self._row(source, row))
        self.emit(options, rows, self.COLUMNS)

    def _add(self, user: Any, options: dict[str, Any]) -> None:
        source = funding_source_create(acting_user=user, kind=options["kind"], name=options["name"],
                                       code=options["code"], channel=CHANNEL)
        self.emit(options, [self._row(source)], self.COLUMNS[:5])

    def _deactivate(self, user: Any, options: dict[str, Any]) -> None:
        source = funding_source_deactivate(acting_user=user, source_id=options["source_id"], channel=CHANNEL)
        self.emit(options, [self._row(source)], self.COLUMNS[:5])
