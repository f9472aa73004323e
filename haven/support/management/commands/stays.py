"""haven stays list|admit|discharge|occupancy, acting as a named user (--as)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, no_translations

from haven.support import selectors
from haven.support.api import stay_out
from haven.support.management.commands._support_cli import CHANNEL, SupportCommand
from haven.support.stays import stay_admit, stay_discharge


class Command(SupportCommand):
    help = "Shelter stays: list a case's stays, admit, discharge, and occupancy per facility."
    COLUMNS = ["id", "facility", "admitted_on", "discharged_on", "paid_until", "days_so_far", "limit_days",
               "days_left", "limit_state"]

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        self.add_common(sub.add_parser("list", help="A case's stays with their state-paid limit."), case=True)
        admit = sub.add_parser("admit", help="Admit the person to a facility.")
        self.add_common(admit, case=True)
        admit.add_argument("--facility-id", dest="facility_id", required=True)
        admit.add_argument("--on", dest="day", required=True, help="Admission date YYYY-MM-DD")
        discharge = sub.add_parser("discharge", help="Discharge the person from the open stay.")
        self.add_common(discharge, case=True)
        discharge.add_argument("--stay-id", dest="stay_id", required=True)
        discharge.add_argument("--on", dest="day", required=True, help="Discharge date YYYY-MM-DD")
        self.add_common(sub.add_parser("occupancy", help="People staying now per facility."))

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        access = self.case(user, options)
        self.emit(options, [stay_out(s) for s in selectors.stays_of_case(access.case)], self.COLUMNS)

    def _admit(self, user: Any, options: dict[str, Any]) -> None:
        stay = stay_admit(access=self.case(user, options), facility_id=options["facility_id"],
                          admitted_on=options["day"], channel=CHANNEL)
        self.emit(options, [stay_out(stay)], self.COLUMNS)

    def _discharge(self, user: Any, options: dict[str, Any]) -> None:
        stay = stay_discharge(access=self.case(user, options), stay_id=options["stay_id"],
                              discharged_on=options["day"], channel=CHANNEL)
        self.emit(options, [stay_out(stay)], self.COLUMNS)

    def _occupancy(self, user: Any, options: dict[str, Any]) -> None:
        rows, _known = selectors.occupancy()
        self.emit(options, [{"facility_id": r.facility.pk, "facility": r.facility.name, "staying": r.staying,
                             "capacity": r.capacity} for r in rows], ["facility_id", "facility", "staying", "capacity"])
