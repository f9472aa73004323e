"""haven ledger list|record|reverse|approve|balances, acting as a named user (--as). No edit, no delete."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, no_translations

from haven.support import selectors
from haven.support.api import entry_out
from haven.support.ledger import ledger_decide, ledger_record, ledger_reverse
from haven.support.management.commands._support_cli import CHANNEL, SupportCommand
from haven.support.models import EntryKind, EvidenceKind, LedgerEntry


class Command(SupportCommand):
    help = "The ledger of services and payments: list, record, reverse, approve or reject, balances."
    COLUMNS = ["id", "provided_on", "item", "kind", "amount", "proposed_amount", "overrides_limit",
               "funding_source", "evidence_ref", "reverses", "status"]

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        self.add_common(sub.add_parser("list", help="A case's entries, oldest first."), case=True)
        record = sub.add_parser("record", help="Record a service or payment for an entitlement item.")
        self.add_common(record, case=True)
        record.add_argument("--item", required=True)
        record.add_argument("--kind", choices=EntryKind.values, default=EntryKind.PAYMENT)
        record.add_argument("--on", dest="provided_on", required=True, help="Date given or paid YYYY-MM-DD")
        record.add_argument("--amount", required=True, help="Integer đồng")
        record.add_argument("--funding-source-id", dest="funding_source_id", required=True)
        record.add_argument("--evidence", dest="evidence_kind", choices=EvidenceKind.values, required=True)
        record.add_argument("--evidence-ref", dest="evidence_ref", required=True)
        record.add_argument("--amount-reason", dest="amount_reason", default="")
        record.add_argument("--over-limit-reason", dest="over_limit_reason", default="")
        reverse = sub.add_parser("reverse", help="Correct an approved entry with a reversing entry.")
        self.add_common(reverse, case=True)
        reverse.add_argument("--entry-id", dest="entry_id", required=True)
        reverse.add_argument("--reason", required=True)
        approve = sub.add_parser("approve", help="Approve (or --reject) an entry of your agency (supervisors).")
        self.add_common(approve)
        approve.add_argument("entry_id")
        approve.add_argument("--reject", action="store_true")
        approve.add_argument("--note", default="")
        self.add_common(sub.add_parser("balances", help="Per item: recorded, approved, pending, rejected."), case=True)

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)

    def _rows(self, entries: list[LedgerEntry], user: Any) -> list[dict[str, Any]]:
        return [entry_out(e, user) for e in entries]

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        self.emit(options, self._rows(selectors.entries_of_case(access.case), user), self.COLUMNS)

    def _record(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        entry = ledger_record(access=access, item=options["item"], kind=options["kind"],
                              provided_on=options["provided_on"], amount=options["amount"],
                              funding_source_id=options["funding_source_id"], evidence_kind=options["evidence_kind"],
                              evidence_ref=options["evidence_ref"], amount_reason=options["amount_reason"],
                              over_limit_reason=options["over_limit_reason"], channel=CHANNEL)
        self.emit(options, self._rows([e for e in selectors.entries_of_case(access.case) if e.pk == entry.pk], user),
                  self.COLUMNS)

    def _reverse(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        reversal = ledger_reverse(access=access, entry_id=options["entry_id"], reason=options["reason"],
                                  channel=CHANNEL)
        self.emit(options, self._rows([e for e in selectors.entries_of_case(access.case) if e.pk == reversal.pk],
                                      user), self.COLUMNS)

    def _approve(self, user: Any, options: dict[str, Any]) -> None:
        decision = ledger_decide(acting_user=user, entry_id=options["entry_id"], approved=not options["reject"],
                                 note=options["note"], channel=CHANNEL)
        state = "approved" if decision.approved else "rejected"
        if options["format"] == "json":
            self.emit(options, [{"id": decision.entry_id, "status": state}], ["id", "status"])
        else:
            self.stdout.write(f"Entry {decision.entry_id} {state}.")

    def _balances(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        self.emit(options, selectors.case_balances(access.case),
                  ["item", "recorded", "approved", "pending", "rejected", "entries"])
