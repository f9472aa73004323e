"""haven referrals list | show | send | accept | decline | complete | cancel | overdue, as a named user.

Held to that user's permissions (the same services and access helpers as the pages and the API), every
change audited with channel "cli". Lists show case codes, never names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.cases.selectors import Need, access_case
from haven.core.errors import HavenError, NotFound
from haven.referrals import selectors as sel
from haven.referrals.items import REFERRAL_ITEMS, default_due_on, item_label
from haven.referrals.models import Referral, ReferralStatus
from haven.referrals.services import (
    overdue,
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_received,
)


def referral_line(referral: Referral, today: dt.date) -> str:
    flag = " OVERDUE" if referral.is_overdue(today) else ""
    override = " consent-overridden" if referral.overridden else ""
    return (f"#{referral.pk}  {referral.case.code}  {referral.status}{flag}{override}  "
            f"{referral.from_agency.name} -> {referral.to_agency.name}  due {referral.due_on.isoformat()}")


class Command(BaseCommand):
    help = "Referrals between agency inboxes, as a named user (--as). Lists show case codes, never names."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="My agency's inbox (received) or what it sent.")
        listing.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        listing.add_argument("--box", choices=("received", "sent"), default="received")
        listing.add_argument("--status", choices=ReferralStatus.values)
        show = sub.add_parser("show", help="A case's referral history (another agency: only its own).")
        show.add_argument("code", metavar="CASE_CODE")
        show.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        send = sub.add_parser("send", help="Refer a case to another agency's inbox.")
        send.add_argument("code", metavar="CASE_CODE")
        send.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        send.add_argument("--to-agency-id", dest="to_agency", required=True, help="see `haven users agencies`")
        send.add_argument("--purpose", required=True)
        send.add_argument("--item", dest="items", action="append", choices=REFERRAL_ITEMS, default=[],
                          help="support requested; repeat for several")
        send.add_argument("--due-on", dest="due_on", help="YYYY-MM-DD (default: three working days from today)")
        send.add_argument("--override-reason", dest="override_reason", default="",
                          help="supervisors only, without consent: the emergency (at least 20 characters)")
        for name, text_arg in (("accept", None), ("decline", "--reason"), ("complete", "--outcome")):
            answer = sub.add_parser(name, help=f"{name.capitalize()} a referral addressed to my agency.")
            answer.add_argument("referral_id", metavar="REFERRAL_ID")
            answer.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
            if text_arg:
                answer.add_argument(text_arg, dest="text", required=True)
        cancel = sub.add_parser("cancel", help="Cancel an unanswered referral of a case my agency holds.")
        cancel.add_argument("code", metavar="CASE_CODE")
        cancel.add_argument("referral_id", metavar="REFERRAL_ID")
        cancel.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        cancel.add_argument("--reason", required=True)
        late = sub.add_parser("overdue", help="Unanswered referrals past their date, received and sent.")
        late.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            if options.get("code"):
                raise CommandError(f"no case {options['code']!r} that {user.username} may see") from None
            raise CommandError(f"no referral {options.get('referral_id')!r} in the inbox of {user.username}'s agency") \
                from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _write_all(self, referrals: list[Referral], empty: str) -> None:
        import django.utils.timezone as tz

        today = tz.localdate()
        for referral in referrals:
            self.stdout.write(referral_line(referral, today))
        self.stdout.write(f"{len(referrals)} referral(s)." if referrals else empty)

    def _list(self, user: Any, options: dict) -> None:
        box = referrals_received(user) if options["box"] == "received" else sel.referrals_sent(user)
        if options["status"]:
            box = box.filter(status=options["status"])
        self._write_all(list(box.order_by("due_on", "pk")[:500]), "No referrals.")

    def _overdue(self, user: Any, options: dict) -> None:
        rows = [*overdue(referrals_received(user)).order_by("due_on"), *overdue(sel.referrals_sent(user)).order_by("due_on")]
        self._write_all(rows, "No overdue referrals.")

    def _show(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"])
        events = sel.case_timeline(access)
        if not events:
            self.stdout.write(f"{access.case.code}: no referral.")
            return
        for event in events:
            subject = event.referral or event.transfer
            assert subject is not None
            line = (f"{event.at.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M')}Z  {event.kind:<20} #{subject.pk}  "
                    f"{subject.from_agency.name} -> {subject.to_agency.name}")
            if event.by is not None:
                line += f"  by {event.by.username}"
            self.stdout.write(line)
            if event.kind == "sent" and event.referral is not None:
                items = ", ".join(item_label(i, "en") for i in event.referral.items) or "-"
                self.stdout.write(f"    items: {items}; fields shared: {', '.join(event.referral.fields_shared) or '-'}; "
                                  f"due {event.referral.due_on.isoformat()}")
            if event.note:
                self.stdout.write(f"    {event.note}")

    def _send(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.EDIT)
        referral = referral_send(
            access=access, to_agency_id=options["to_agency"], purpose=options["purpose"], items=options["items"],
            due_on=options["due_on"] or default_due_on(), override_reason=options["override_reason"], channel=CHANNEL)
        flagged = " (sent without consent: flagged for review)" if referral.overridden else ""
        self.stdout.write(f"Referral #{referral.pk} sent to {referral.to_agency.name}, answer by "
                          f"{referral.due_on.isoformat()}; fields shared: {', '.join(referral.fields_shared) or '-'}"
                          f"{flagged}.")

    def _accept(self, user: Any, options: dict) -> None:
        referral = referral_accept(acting_user=user, referral_id=options["referral_id"], channel=CHANNEL)
        self.stdout.write(f"Referral #{referral.pk} accepted: {referral.case.code} is now visible to your agency.")

    def _decline(self, user: Any, options: dict) -> None:
        referral = referral_decline(acting_user=user, referral_id=options["referral_id"], reason=options["text"],
                                    channel=CHANNEL)
        self.stdout.write(f"Referral #{referral.pk} declined.")

    def _complete(self, user: Any, options: dict) -> None:
        referral = referral_complete(acting_user=user, referral_id=options["referral_id"], outcome=options["text"],
                                     channel=CHANNEL)
        self.stdout.write(f"Referral #{referral.pk} completed.")

    def _cancel(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.EDIT)
        referral = referral_cancel(access=access, referral_id=options["referral_id"], reason=options["reason"],
                                   channel=CHANNEL)
        self.stdout.write(f"Referral #{referral.pk} cancelled.")
