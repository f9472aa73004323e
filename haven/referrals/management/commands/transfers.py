"""haven transfers list | request | accept | decline | cancel, as a named user (--as).

Only supervisors request (for their agency's case, to an agency of another province) and answer (for
their agency). Lists show case codes, never names; every change is audited with channel "cli".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.cases.selectors import Need, access_case
from haven.core.errors import HavenError, NotFound
from haven.referrals.models import CaseTransfer, TransferStatus
from haven.referrals.transfers import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
    transfers_of_agency,
)


def transfer_line(transfer: CaseTransfer) -> str:
    return (f"#{transfer.pk}  {transfer.case.code}  {transfer.status}  {transfer.from_agency.name} -> "
            f"{transfer.to_agency.name}  requested {transfer.requested_at.date().isoformat()}")


class Command(BaseCommand):
    help = "Transfers of case ownership to an agency of another province, as a named user (--as)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Transfers to and from my agency.")
        listing.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        listing.add_argument("--status", choices=TransferStatus.values)
        request = sub.add_parser("request", help="Ask an agency of another province to take a case over.")
        request.add_argument("code", metavar="CASE_CODE")
        request.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        request.add_argument("--to-agency-id", dest="to_agency", required=True)
        request.add_argument("--reason", required=True)
        accept = sub.add_parser("accept", help="Accept a transfer to my agency.")
        accept.add_argument("transfer_id", metavar="TRANSFER_ID")
        accept.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        decline = sub.add_parser("decline", help="Decline a transfer to my agency.")
        decline.add_argument("transfer_id", metavar="TRANSFER_ID")
        decline.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        decline.add_argument("--reason", required=True)
        cancel = sub.add_parser("cancel", help="Withdraw a transfer my agency asked for.")
        cancel.add_argument("code", metavar="CASE_CODE")
        cancel.add_argument("transfer_id", metavar="TRANSFER_ID")
        cancel.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            if options.get("code"):
                raise CommandError(f"no case {options['code']!r} that {user.username} may transfer") from None
            raise CommandError(f"no transfer {options.get('transfer_id')!r} awaiting {user.username}'s agency") \
                from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _list(self, user: Any, options: dict) -> None:
        transfers = transfers_of_agency(user)
        if options["status"]:
            transfers = transfers.filter(status=options["status"])
        rows = list(transfers.order_by("-requested_at")[:500])
        for transfer in rows:
            self.stdout.write(transfer_line(transfer))
        self.stdout.write(f"{len(rows)} transfer(s)." if rows else "No transfers.")

    def _request(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.SUPERVISE)
        transfer = transfer_request(access=access, to_agency_id=options["to_agency"], reason=options["reason"],
                                    channel=CHANNEL)
        self.stdout.write(f"Transfer #{transfer.pk} requested: {transfer.case.code} -> {transfer.to_agency.name}. "
                          "The case stays with your agency until it is accepted.")

    def _accept(self, user: Any, options: dict) -> None:
        transfer = transfer_accept(acting_user=user, transfer_id=options["transfer_id"], channel=CHANNEL)
        self.stdout.write(f"Transfer #{transfer.pk} accepted: {transfer.case.code} now belongs to "
                          f"{transfer.to_agency.name}. Assign a caseworker.")

    def _decline(self, user: Any, options: dict) -> None:
        transfer = transfer_decline(acting_user=user, transfer_id=options["transfer_id"], reason=options["reason"],
                                    channel=CHANNEL)
        self.stdout.write(f"Transfer #{transfer.pk} declined.")

    def _cancel(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.SUPERVISE)
        transfer = transfer_cancel(access=access, transfer_id=options["transfer_id"], channel=CHANNEL)
        self.stdout.write(f"Transfer #{transfer.pk} cancelled.")
