"""haven protection assess|threat|measure|review|show CASE_CODE --as USERNAME.

Acts as the named user with that user's permissions; sealed text is printed only under the need-to-know
rule, and every value shown is audited (channel "cli"). Messages in English.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.cases.selectors import access_case
from haven.core.errors import HavenError, NotFound
from haven.protection import present, selectors
from haven.protection.assessments import measure_review, risk_assess, threat_record
from haven.protection.measures import (
    measure_decide,
    measure_end,
    measure_put_in_force,
    measure_refuse,
    measure_request,
)
from haven.protection.models import DOMAIN_NAMES

STEPS = ("request", "decide", "in-force", "end", "refuse")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Command(BaseCommand):
    help = "Protection: risk assessments, threats, reviews of measures and protection measures of a case."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def common(name: str, text: str) -> CommandParser:
            p = sub.add_parser(name, help=text)
            p.add_argument("code", metavar="CASE_CODE")
            p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
            return p

        common("show", "The current level, assessments, threats, reviews and measures (JSON).")
        assess = common("assess", "Record a risk assessment.")
        assess.add_argument("--occasion", required=True, help="reception, before_discharge, follow_up or other")
        assess.add_argument("--on", dest="day", required=True, help="YYYY-MM-DD")
        for name in DOMAIN_NAMES:
            assess.add_argument(f"--{name.replace('_', '-')}", dest=name, required=True, help="low, medium or high")
        assess.add_argument("--level", default="", help="Override of the rule's level (needs --reason)")
        assess.add_argument("--reason", default="", help="Why the level differs from the rule")
        threat = common("threat", "Record a threat or incident (asks for a review of measures).")
        threat.add_argument("--on", dest="day", required=True, help="When it occurred, YYYY-MM-DD")
        threat.add_argument("--reported-on", dest="reported_on", default=None)
        threat.add_argument("--source", required=True, help="trafficker, family, community or other")
        threat.add_argument("--severity", required=True, help="minor, serious or severe")
        threat.add_argument("--description", required=True, help="Sealed; stays in the shell history")
        threat.add_argument("--location", default="")
        review = common("review", "Review the measures after the threats awaiting review (supervisors).")
        review.add_argument("--outcome", required=True, help="sufficient, new_measures or referred")
        review.add_argument("--note", default="")
        measure = common("measure", "Request a measure, or move one: decide, in-force, end, refuse.")
        measure.add_argument("--step", choices=STEPS, default="request")
        measure.add_argument("--measure-id", dest="measure_id", default=None)
        measure.add_argument("--kind", default="", help="A catalogue code, e.g. identity_secrecy")
        measure.add_argument("--on", dest="day", default=None, help="Date of the step, YYYY-MM-DD")
        measure.add_argument("--to", dest="to", default=None, help="in-force: last day, YYYY-MM-DD")
        measure.add_argument("--relative-name", dest="relative_name", default="")
        measure.add_argument("--relationship", default="")
        measure.add_argument("--proceeding-id", dest="proceeding_id", default=None)
        measure.add_argument("--granted", choices=("yes", "no"), default=None)
        measure.add_argument("--authority-agency-id", dest="authority_agency_id", default=None)
        measure.add_argument("--authority", default="", help="The deciding authority, if not a listed agency")
        measure.add_argument("--method", default="", help="refuse: written, oral or guardian")
        measure.add_argument("--note", default="")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            access = access_case(user, code=options["code"])
            result = getattr(self, f"_{options['action']}")(access, options)
        except NotFound:
            raise CommandError(f"no case {options['code']!r} that {user.username} may see") from None
        except HavenError as exc:
            raise cli_error(exc) from exc
        self.stdout.write(json.dumps(_plain(result), ensure_ascii=False, indent=2))

    def _show(self, access: Any, options: dict[str, Any]) -> dict[str, Any]:
        case = access.case
        banner = selectors.banner_for(case)
        return {
            "case": case.code, "level": banner.level or None, "assessed_on": banner.assessed_on,
            "threats_awaiting_review": banner.awaiting_review, "sees_details": selectors.sees_details(access),
            "assessments": present.assessments_out(access, selectors.assessments_of(case), CHANNEL),
            "threats": present.threats_out(access, selectors.threats_of(case), CHANNEL),
            "reviews": present.reviews_out(access, selectors.reviews_of(case), CHANNEL),
            "measures": present.measures_out(access, selectors.measures_of(case), CHANNEL),
        }

    def _assess(self, access: Any, options: dict[str, Any]) -> dict[str, Any]:
        a = risk_assess(access=access, occasion=options["occasion"], assessed_on=options["day"],
                        levels={n: options[n] for n in DOMAIN_NAMES}, level=options["level"],
                        override_reason=options["reason"], channel=CHANNEL)
        return present.assessments_out(access, [a], CHANNEL)[0]

    def _threat(self, access: Any, options: dict[str, Any]) -> dict[str, Any]:
        t = threat_record(access=access, occurred_on=options["day"], reported_on=options["reported_on"],
                          source=options["source"], severity=options["severity"],
                          description=options["description"], location=options["location"], channel=CHANNEL)
        return present.threats_out(access, [t], CHANNEL)[0]

    def _review(self, access: Any, options: dict[str, Any]) -> dict[str, Any]:
        r = measure_review(access=access, outcome=options["outcome"], note=options["note"], channel=CHANNEL)
        return present.reviews_out(access, [r], CHANNEL)[0]

    def _measure(self, access: Any, options: dict[str, Any]) -> dict[str, Any]:
        step, mid, day = options["step"], options["measure_id"], options["day"]
        if step != "request" and not mid:
            raise CommandError("name the measure with --measure-id")
        if step == "request":
            m = measure_request(access=access, kind=options["kind"], requested_on=day,
                                beneficiary="relative" if options["relative_name"] else "person",
                                relative_name=options["relative_name"], relative_relationship=options["relationship"],
                                proceeding_id=options["proceeding_id"], note=options["note"], channel=CHANNEL)
        elif step == "decide":
            if options["granted"] is None:
                raise CommandError("say whether the measure was granted with --granted yes|no")
            m = measure_decide(access=access, measure_id=mid, granted=options["granted"] == "yes", decided_on=day,
                               authority_agency_id=options["authority_agency_id"],
                               authority_text=options["authority"], channel=CHANNEL)
        elif step == "in-force":
            m = measure_put_in_force(access=access, measure_id=mid, in_force_from=day, in_force_to=options["to"],
                                     channel=CHANNEL)
        elif step == "end":
            m = measure_end(access=access, measure_id=mid, ended_on=day, note=options["note"], channel=CHANNEL)
        else:
            m = measure_refuse(access=access, measure_id=mid, refused_on=day, method=options["method"],
                               note=options["note"], channel=CHANNEL)
        return present.measures_out(access, [m], CHANNEL)[0]
