"""haven followup plan|visit|due|assess|submit|approve|check, acting as a named user (--as)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, no_translations
from django.utils import timezone

from haven.followup import selectors
from haven.followup.api import _assessment, _plans
from haven.followup.services import (
    assessment_create,
    assessment_decide,
    assessment_submit,
    plan_create,
    visit_record,
)
from haven.support.management.commands._support_cli import CHANNEL, SupportCommand

ASSESSMENT_COLUMNS = ["id", "case", "visited_on", "outcome", "status", "created_by", "decided_by"]
PLAN_COLUMNS = ["id", "case", "responsible_agency", "every_days", "starts_on", "ends_on", "latest_status",
                "retrafficked"]


class Command(SupportCommand):
    help = ("Safe return of minors and follow-up after return: plan visits, record a visit, list visits due, "
            "record, submit and approve a home safety assessment, check a discharge.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="Plan the follow-up of a case and schedule its visits.")
        self.add_common(plan, case=True)
        plan.add_argument("--agency-id", dest="agency_id", required=True, help="The responsible agency")
        plan.add_argument("--every", dest="every", required=True, help="Days between visits (7 to 183)")
        plan.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        plan.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        visit = sub.add_parser("visit", help="Record a visit made (notes are read from --notes, sealed).")
        self.add_common(visit, case=True)
        visit.add_argument("--plan-id", dest="plan_id", required=True)
        visit.add_argument("--visit-id", dest="visit_id", default=None, help="A scheduled visit; omit for an extra one")
        visit.add_argument("--on", dest="day", required=True)
        visit.add_argument("--mode", default="home", help="home, phone or other")
        visit.add_argument("--status", dest="observed", required=True,
                           help="stable, at_risk, contact_lost or trafficked_again")
        visit.add_argument("--notes", default="")
        self.add_common(sub.add_parser("due", help="My agency's visits due within a week and overdue."))
        assess = sub.add_parser("assess", help="Record a home safety assessment as a draft.")
        self.add_common(assess, case=True)
        assess.add_argument("--visited-on", dest="visited_on", required=True)
        assess.add_argument("--outcome", required=True, help="safe, safe_with_conditions or unsafe")
        assess.add_argument("--findings", required=True)
        assess.add_argument("--conditions", default="")
        assess.add_argument("--placement", default="")
        assess.add_argument("--stay-id", dest="stay_id", default=None)
        submit = sub.add_parser("submit", help="Submit a draft assessment for approval.")
        self.add_common(submit, case=True)
        submit.add_argument("--assessment-id", dest="assessment_id", required=True)
        approve = sub.add_parser("approve", help="Approve (or --return with --reason) a submitted assessment.")
        self.add_common(approve, case=True)
        approve.add_argument("--assessment-id", dest="assessment_id", required=True)
        approve.add_argument("--return", dest="send_back", action="store_true")
        approve.add_argument("--reason", default="")
        check = sub.add_parser("check", help="May the person leave a facility on a day?")
        self.add_common(check, case=True)
        check.add_argument("--on", dest="day", default=None)

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)

    def _plan(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        plan = plan_create(access=access, responsible_agency_id=options["agency_id"], every_days=options["every"],
                           starts_on=options["start"], ends_on=options["end"], channel=CHANNEL)
        rows = [{**{k: val for k, val in row.items() if k != "visits"}, "visits": len(row["visits"])}
                for row in _plans(access, plan.pk)]
        self.emit(options, rows, PLAN_COLUMNS + ["visits"])

    def _visit(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        visit = visit_record(access=access, plan_id=options["plan_id"], visit_id=options["visit_id"],
                             done_on=options["day"], mode=options["mode"], observed=options["observed"],
                             notes=options["notes"], channel=CHANNEL)
        self.emit(options, [{"id": visit.pk, "plan_id": visit.plan_id, "due_on": visit.due_on,
                             "done_on": visit.done_on, "mode": visit.mode, "observed": visit.observed,
                             "plan_retrafficked": visit.plan.retrafficked}],
                  ["id", "plan_id", "due_on", "done_on", "mode", "observed", "plan_retrafficked"])

    def _due(self, user: Any, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        self.emit(options, [{"id": v.pk, "case": v.plan.case.code, "due_on": v.due_on, "overdue": v.due_on < today}
                            for v in selectors.visits_due(user, today)], ["id", "case", "due_on", "overdue"])

    def _assess(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        assessment = assessment_create(access=access, visited_on=options["visited_on"], outcome=options["outcome"],
                                       findings=options["findings"], conditions=options["conditions"],
                                       placement=options["placement"], stay_id=options["stay_id"], channel=CHANNEL)
        self.emit(options, [_assessment(access, assessment.pk)], ASSESSMENT_COLUMNS)

    def _submit(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        assessment_submit(access=access, assessment_id=options["assessment_id"], channel=CHANNEL)
        self.emit(options, [_assessment(access, int(options["assessment_id"]))], ASSESSMENT_COLUMNS)

    def _approve(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        assessment_decide(access=access, assessment_id=options["assessment_id"], approve=not options["send_back"],
                          reason=options["reason"], channel=CHANNEL)
        self.emit(options, [_assessment(access, int(options["assessment_id"]))], ASSESSMENT_COLUMNS)

    def _check(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        from haven.cases import validation as v

        day = v.required_date(options["day"], "on", not_future=False) if options["day"] else timezone.localdate()
        allowed, reason = selectors.minor_may_leave(access.case, day)
        self.emit(options, [{"case": access.case.code, "on": day, "minor": selectors.is_minor(access.case, day),
                             "allowed": allowed, "reason": reason}], ["case", "on", "minor", "allowed", "reason"])
