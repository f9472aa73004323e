"""haven consent record | show CODE --as USERNAME"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.accounts.models import AgencyKind
from haven.cases.selectors import Need, access_case
from haven.consent.models import Decision, GivenBy, Method, Purpose
from haven.consent.selectors import consent_current
from haven.consent.services import consent_record
from haven.core.errors import HavenError, NotFound


class Command(BaseCommand):
    help = "Record a consent decision (given, withdrawn, refused) for one purpose, or show the consent in force."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        record = sub.add_parser("record", help="Record a decision; the latest decision for a purpose is in force.")
        record.add_argument("code", help="The case code, e.g. HV-26-ABC234.")
        record.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        record.add_argument("--purpose", required=True, choices=Purpose.values)
        record.add_argument("--decision", required=True, choices=Decision.values)
        record.add_argument("--given-by", dest="given_by", required=True, choices=GivenBy.values)
        record.add_argument("--method", required=True, choices=Method.values)
        record.add_argument("--agency-kind", dest="agency_kind", default="", choices=["", *AgencyKind.values],
                            help="For --purpose sharing: which kind of agency.")
        # Names typed here stay in the shell history: clear it, or use the web form, on a shared machine.
        record.add_argument("--guardian-name", dest="guardian_name", default="")
        record.add_argument("--witness-name", dest="witness_name", default="")
        record.add_argument("--date", default=None, help="YYYY-MM-DD, default today.")
        record.add_argument("--note", default="")
        show = sub.add_parser("show", help="The consent in force for each purpose.")
        show.add_argument("code")
        show.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            raise CommandError(f"no case {options['code']!r} that {user.username} may change") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _record(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.EDIT)
        record = consent_record(
            access=access, purpose=options["purpose"], decision=options["decision"], given_by=options["given_by"],
            method=options["method"], agency_kind=options["agency_kind"], guardian_name=options["guardian_name"],
            witness_name=options["witness_name"], effective_on=options["date"], note=options["note"], channel=CHANNEL,
        )
        kind = f" with {record.agency_kind}" if record.agency_kind else ""
        self.stdout.write(self.style.SUCCESS(
            f"Recorded for {access.case.code}: {record.purpose}{kind} {record.decision} on "
            f"{record.effective_on.isoformat()}."
        ))

    def _show(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"], need=Need.EDIT)
        states = consent_current(access.case.person_id)
        if not states:
            self.stdout.write("No consent recorded.")
        for state in states:
            kind = f" ({state.agency_kind})" if state.agency_kind else ""
            self.stdout.write(f"{state.purpose}{kind}: {state.decision} on {state.record.effective_on.isoformat()} "
                              f"by {state.record.given_by}, {state.record.method}")
