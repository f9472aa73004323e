"""haven justice proceeding|legal-aid|verdict|payment|enforcement|summary, acting as a named user (--as).

Each recording subcommand prints the case's justice record as JSON afterwards (sealed fields only for a
user with a need to know, and then audited); `summary` prints the awards paid in full, in part, not at all.
No subcommand edits or deletes a payment or an enforcement step: `payment --reverse` records a reversal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.accounts.models import Role
from haven.cases.page_helpers import works_cases
from haven.cases.selectors import access_case
from haven.core.errors import HavenError, NotFound
from haven.legal import selectors
from haven.legal.api import justice_out
from haven.legal.awards import enforcement_record, payment_record, payment_reverse, verdict_record
from haven.legal.models import (
    AidStatus,
    CourtLevel,
    Outcome,
    PaymentMethod,
    PersonRole,
    ProceedingKind,
    ProceedingStatus,
    Stage,
    StepKind,
)
from haven.legal.proceedings import legal_aid_decide, legal_aid_request, proceeding_advance, proceeding_create


class Command(BaseCommand):
    help = "Proceedings, legal aid, verdicts, compensation payments and enforcement steps of a case."

    def _common(self, parser: CommandParser, *, case: bool = True) -> None:
        if case:
            parser.add_argument("code", metavar="CASE_CODE")
        parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("proceeding", help="Record a proceeding, or --advance ID to change its stage.")
        self._common(p)
        p.add_argument("--kind", choices=ProceedingKind.values)
        p.add_argument("--role", dest="person_role", choices=PersonRole.values)
        p.add_argument("--court", default="")
        p.add_argument("--number", dest="case_number", default="")
        p.add_argument("--opened", dest="opened_on")
        p.add_argument("--stage", choices=Stage.values)
        p.add_argument("--advance", dest="proceeding_id", help="Change this proceeding's --stage/--status")
        p.add_argument("--status", choices=ProceedingStatus.values, default=ProceedingStatus.ACTIVE)
        p.add_argument("--on", help="Closing date YYYY-MM-DD")
        a = sub.add_parser("legal-aid", help="Request legal aid (--provider-id, --on), or --decide ID --status S.")
        self._common(a)
        a.add_argument("--provider-id", dest="provider_id")
        a.add_argument("--proceeding-id", dest="proceeding_id")
        a.add_argument("--on", help="Date YYYY-MM-DD")
        a.add_argument("--decide", dest="aid_id")
        a.add_argument("--status", choices=[AidStatus.GRANTED, AidStatus.REFUSED, AidStatus.ENDED])
        v = sub.add_parser("verdict", help="Record a verdict and any compensation awarded to the person.")
        self._common(v)
        v.add_argument("--proceeding-id", dest="proceeding_id", required=True)
        v.add_argument("--on", dest="decided_on", required=True)
        v.add_argument("--level", dest="court_level", choices=CourtLevel.values, required=True)
        v.add_argument("--outcome", choices=Outcome.values, required=True)
        v.add_argument("--sentence", dest="sentence_summary", default="")
        v.add_argument("--compensation", dest="compensation_awarded", default="0", help="Integer đồng")
        v.add_argument("--debtor", default="")
        pay = sub.add_parser("payment", help="Record compensation received, or --reverse PAYMENT_ID --reason.")
        self._common(pay)
        pay.add_argument("--award-id", dest="award_id")
        pay.add_argument("--on", dest="received_on")
        pay.add_argument("--amount", help="Integer đồng")
        pay.add_argument("--how", dest="method", choices=PaymentMethod.values)
        pay.add_argument("--evidence", dest="evidence_ref", default="")
        pay.add_argument("--reverse", dest="payment_id")
        pay.add_argument("--reason", default="")
        e = sub.add_parser("enforcement", help="Add an enforcement step to an award.")
        self._common(e)
        e.add_argument("--award-id", dest="award_id", required=True)
        e.add_argument("--kind", choices=StepKind.values, required=True)
        e.add_argument("--on", dest="taken_on", required=True)
        e.add_argument("--body", default="")
        e.add_argument("--note", default="")
        s = sub.add_parser("summary", help="Awards paid in full, in part, not at all (a case's record with CODE).")
        s.add_argument("code", nargs="?", metavar="CASE_CODE")
        s.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(user, options)
        except NotFound:
            what = f"case {options['code']!r}" if options.get("code") else "record"
            raise CommandError(f"no {what} that {user.username} may see") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _emit(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def _show(self, access: Any) -> None:
        self._emit(justice_out(access, channel=CHANNEL))

    def _proceeding(self, user: Any, o: dict[str, Any]) -> None:
        access = access_case(user, code=o["code"])
        if o["proceeding_id"]:
            proceeding_advance(access=access, proceeding_id=o["proceeding_id"], stage=o["stage"],
                               status=o["status"], on=o["on"], channel=CHANNEL)
        else:
            proceeding_create(access=access, kind=o["kind"], person_role=o["person_role"], court=o["court"],
                              case_number=o["case_number"], opened_on=o["opened_on"], stage=o["stage"],
                              channel=CHANNEL)
        self._show(access)

    def _legal_aid(self, user: Any, o: dict[str, Any]) -> None:
        access = access_case(user, code=o["code"])
        if o["aid_id"]:
            legal_aid_decide(access=access, aid_id=o["aid_id"], status=o["status"], on=o["on"], channel=CHANNEL)
        else:
            legal_aid_request(access=access, provider_id=o["provider_id"], requested_on=o["on"],
                              proceeding_id=o["proceeding_id"], channel=CHANNEL)
        self._show(access)

    def _verdict(self, user: Any, o: dict[str, Any]) -> None:
        access = access_case(user, code=o["code"])
        verdict_record(access=access, proceeding_id=o["proceeding_id"], decided_on=o["decided_on"],
                       court_level=o["court_level"], outcome=o["outcome"], sentence_summary=o["sentence_summary"],
                       compensation_awarded=o["compensation_awarded"], debtor=o["debtor"], channel=CHANNEL)
        self._show(access)

    def _payment(self, user: Any, o: dict[str, Any]) -> None:
        access = access_case(user, code=o["code"])
        if o["payment_id"]:
            payment_reverse(access=access, payment_id=o["payment_id"], reason=o["reason"], channel=CHANNEL)
        else:
            payment_record(access=access, award_id=o["award_id"], received_on=o["received_on"], amount=o["amount"],
                           method=o["method"], evidence_ref=o["evidence_ref"], channel=CHANNEL)
        self._show(access)

    def _enforcement(self, user: Any, o: dict[str, Any]) -> None:
        access = access_case(user, code=o["code"])
        enforcement_record(access=access, award_id=o["award_id"], kind=o["kind"], taken_on=o["taken_on"],
                           body=o["body"], note=o["note"], channel=CHANNEL)
        self._show(access)

    def _summary(self, user: Any, o: dict[str, Any]) -> None:
        if o.get("code"):
            self._show(access_case(user, code=o["code"]))
            return
        if works_cases(user):
            s = selectors.summarise(selectors.visible_awards(user))
        elif user.role == Role.STATISTICIAN:
            s = selectors.statistics_summary()
        else:
            raise CommandError(f"{user.username} has no justice figures to see")
        self._emit({**s.counts, "total": s.total, "awarded": s.awarded, "received": s.received,
                    "suppressed": s.suppressed})
