"""A synthetic data set with exactly the 2020 national figures of the TIP report on Vietnam.

Legal reference §6 (2020): 121 identified; 112 female, 9 male; 32 children; of the 67 identified at
land borders 4 sexual exploitation, 60 "illegal marriage" (forced marriage here), 3 illegal adoption;
referred to 25 social protection centres, 20 police, 19 NGO, 3 Women's Union; 84 received services.

Everything the report does not say is invented and marked so: where the other 54 were identified,
their exploitation, which 32 are children, the money. The 15.44 billion đồng victim-assistance
budget is an allocation, not spending on people, so it is not written into the ledger.
No person here is real; the rows carry no identity at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from haven.accounts.models import Agency, AgencyKind, Role, User
from haven.cases.models import Case, Category, Person, ReturnMode, Status
from haven.geo.models import AdminUnit
from haven.referrals.models import Referral, ReferralStatus
from haven.support.models import FundingKind, FundingSource, LedgerApproval, LedgerEntry, ShelterStay

YEAR = 2020
FIGURES: dict[str, Any] = {
    "identified": 121, "female": 112, "male": 9, "children": 32, "land_border": 67,
    "land_border_exploitation": {"sexual_exploitation": 4, "forced_marriage": 60, "illegal_adoption": 3},
    "referred": {"social_protection": 25, "police": 20, "ngo": 19, "womens_union": 3},
    "received_services": 84,
}
# Invented (the report is silent): where the other 54 were identified and their main exploitation.
OTHER_PLACES = [("inland", 22), ("airport", 12), ("abroad", 14), ("sea", 6)]
OTHER_EXPLOITATION = [("sexual_exploitation", 28), ("forced_labour", 20), ("forced_marriage", 6)]


@dataclass
class Built:
    cases: list[Case]
    agencies: dict[str, Agency]
    user: User


def _spread(pairs: list[tuple[str, int]]) -> list[str]:
    return [value for value, n in pairs for _ in range(n)]


@transaction.atomic
def build_2020(*, province: AdminUnit | None = None, prefix: str = "N2020") -> Built:
    """Create the 121 identified persons of 2020 and their referrals, stays and payments."""
    jurisdiction = province or AdminUnit.objects.get_or_create(
        code="national-fixture", defaults={"name": "Toàn quốc (dữ liệu tổng hợp)", "name_ascii": "Toan quoc",
                                           "level": "province", "valid_from": dt.date(1976, 7, 2)})[0]
    kinds = {"border": AgencyKind.BORDER_GUARD, "social_protection": AgencyKind.SOCIAL_PROTECTION,
             "police": AgencyKind.POLICE, "ngo": AgencyKind.NGO_SHELTER, "womens_union": AgencyKind.WOMENS_UNION}
    agencies = {key: Agency.objects.create(name=f"{prefix} cơ quan {key} (tổng hợp)", name_en=f"{prefix} {key} (synthetic)",
                                           kind=kind, jurisdiction=jurisdiction) for key, kind in kinds.items()}
    user = User.objects.create_user(username=f"{prefix.lower()}.builder", password=None, agency=agencies["border"],
                                    role=Role.CASEWORKER)
    n = FIGURES["identified"]
    sexes = ["female"] * FIGURES["female"] + ["male"] * FIGURES["male"]
    # 32 children: 30 girls and 2 boys (invented split), spread through the list.
    child_index = set(range(0, 112, 3)[:30]) | {112, 115}
    places = ["land_border"] * FIGURES["land_border"] + _spread(OTHER_PLACES)
    exploitation = _spread(list(FIGURES["land_border_exploitation"].items())) + _spread(OTHER_EXPLOITATION)
    referred = _spread(list(FIGURES["referred"].items()))  # the first 67 persons are referred
    persons = Person.objects.bulk_create([
        Person(sex=sexes[i], birth_year=YEAR - (15 if i in child_index else 24), nationality="VN",
               ethnicity="hmong" if i % 3 == 0 else "kinh") for i in range(n)])
    cases = Case.objects.bulk_create([
        Case(code=f"{prefix}-{i + 1:04d}", person=persons[i], category=Category.VICTIM, status=Status.SUPPORT,
             owner_agency=agencies["border"], receiving_agency=agencies["border"], received_on=dt.date(YEAR, 1 + i % 12, 5),
             reception_place="(tổng hợp)", return_mode=ReturnMode.BORDER_HANDOVER, identified_at=places[i],
             age_at_reception=15 if i in child_index else 24, exploitation_types=[exploitation[i]],
             identified_on=dt.date(YEAR, 1 + i % 12, 10), created_by=user)
        for i in range(n)])
    Referral.objects.bulk_create([
        Referral(case=cases[i], from_agency=agencies["border"], to_agency=agencies[kind], purpose="(tổng hợp)",
                 status=ReferralStatus.ACCEPTED, due_on=dt.date(YEAR, 12, 31), sent_by=user)
        for i, kind in enumerate(referred)])
    served = list(range(FIGURES["received_services"]))
    ShelterStay.objects.bulk_create([
        ShelterStay(case=cases[i], facility=agencies["social_protection"], admitted_on=dt.date(YEAR, 1 + i % 12, 12),
                    discharged_on=dt.date(YEAR, 1 + i % 12, 25), admitted_by=user) for i in served])
    _payments(cases, served, agencies, user)
    return Built(cases=cases, agencies=agencies, user=user)


def _payments(cases: list[Case], served: list[int], agencies: dict[str, Agency], user: User) -> None:
    """Invented amounts: food for everyone served (state budget), medical care for 20 (NGO donor)."""
    state = FundingSource.objects.create(agency=agencies["social_protection"], kind=FundingKind.STATE_BUDGET,
                                         name="Ngân sách (tổng hợp)")
    donor = FundingSource.objects.create(agency=agencies["social_protection"], kind=FundingKind.NGO_DONOR,
                                         name="Nhà tài trợ (tổng hợp)")
    rows: list[dict[str, Any]] = [{"i": i, "item": "food", "amount": 1_800_000, "fund": state} for i in served]
    rows += [{"i": i, "item": "medical", "amount": 650_000, "fund": donor} for i in served[:20]]
    entries = LedgerEntry.objects.bulk_create([
        LedgerEntry(case=cases[r["i"]], agency=agencies["social_protection"], item=r["item"], kind="payment",
                    provided_on=dt.date(YEAR, 1 + r["i"] % 12, 20), amount=r["amount"], funding_source=r["fund"],
                    evidence_kind="signature_list", evidence_ref=f"DS-{r['i']}", recorded_by=user) for r in rows])
    approver = User.objects.create_user(username=f"{user.username}.sup", password=None, agency=agencies["social_protection"],
                                        role=Role.SUPERVISOR)
    LedgerApproval.objects.bulk_create([LedgerApproval(entry=e, approved=True, decided_by=approver) for e in entries])
