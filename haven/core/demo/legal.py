"""Demo data for justice (issue 5): proceedings, legal aid, verdicts, compensation and enforcement.

Through the real services as the demo's users, so everything is validated and audited. Courts, case numbers,
enforcement offices and debtors are invented. The Lào Cai legal aid centre works b01, b04 and p01 on accepted
referrals (haven/core/demo/build.py), so its users can act on them (not b04: she withdrew consent):
- s01: a criminal case, legal aid granted by the centre, compensation paid in part, enforcement under way;
- b01: compensation not paid at all, enforcement found the debtor unable to pay;
- p01: a civil claim, legal aid requested and waiting for the centre's decision, compensation paid in full.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.cases.selectors import access_case
from haven.legal.awards import enforcement_record, payment_record, verdict_record
from haven.legal.proceedings import legal_aid_decide, legal_aid_request, proceeding_advance, proceeding_create

CHANNEL = "demo"


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    for key, build in (("s01", _paid_in_part), ("b01", _not_paid), ("p01", _paid_in_full)):
        case = loader.cases.get(key)
        if case is not None:
            build(loader, case, _Days(case.received_on, loader.today))


class _Days:
    """Dates between the person's reception and today, so the story fits whatever day the demo is loaded."""

    def __init__(self, start: dt.date, today: dt.date) -> None:
        self.start, self.span = start, max((today - start).days - 1, 10)

    def at(self, fraction: float) -> str:
        return (self.start + dt.timedelta(days=int(self.span * fraction))).isoformat()


def _as(loader: Any, username: str, case: Any) -> Any:
    return access_case(loader.users[username], case_id=case.pk)


def _paid_in_part(loader: Any, case: Any, d: _Days) -> None:
    owner = _as(loader, "swc.worker", case)
    proceeding = proceeding_create(
        access=owner, kind="criminal", person_role="victim", court="Tòa án nhân dân tỉnh Sơn Vân (hư cấu)",
        case_number="HS-031/SV-2024 (hư cấu)", opened_on=d.at(0.10), stage="investigation", channel=CHANNEL)
    aid = legal_aid_request(access=owner, provider_id=loader.agencies["legalaid"].pk, requested_on=d.at(0.12),
                            proceeding_id=proceeding.pk, channel=CHANNEL)
    legal_aid_decide(access=_as(loader, "legalaid.worker", case), aid_id=aid.pk, status="granted", on=d.at(0.14),
                     channel=CHANNEL)
    proceeding_advance(access=owner, proceeding_id=proceeding.pk, stage="first_instance", channel=CHANNEL)
    award = verdict_record(
        access=_as(loader, "legalaid.worker", case), proceeding_id=proceeding.pk, decided_on=d.at(0.40),
        court_level="first_instance", outcome="convicted", sentence_summary="Bị cáo chính: 12 năm tù (hư cấu).",
        compensation_awarded=60_000_000, debtor="Hai bị cáo liên đới bồi thường (hư cấu)", channel=CHANNEL)
    lawyer = _as(loader, "legalaid.worker", case)
    enforcement_record(access=lawyer, award_id=award.pk, kind="request_filed", taken_on=d.at(0.45),
                       body="Chi cục Thi hành án dân sự Sơn Vân (hư cấu)", channel=CHANNEL)
    enforcement_record(access=lawyer, award_id=award.pk, kind="decision", taken_on=d.at(0.50),
                       body="Chi cục Thi hành án dân sự Sơn Vân (hư cấu)", channel=CHANNEL)
    payment_record(access=lawyer, award_id=award.pk, received_on=d.at(0.60), amount=15_000_000,
                   method="enforcement_office", evidence_ref="PT-0457 (hư cấu)", channel=CHANNEL)
    enforcement_record(access=lawyer, award_id=award.pk, kind="in_progress", taken_on=d.at(0.62),
                       note="Đang xác minh tài sản của bị cáo thứ hai.", channel=CHANNEL)


def _not_paid(loader: Any, case: Any, d: _Days) -> None:
    lawyer = _as(loader, "legalaid.worker", case)
    proceeding = proceeding_create(
        access=lawyer, kind="criminal", person_role="victim", court="Tòa án nhân dân tỉnh Bạch Lĩnh (hư cấu)",
        case_number="HS-118/BL-2024 (hư cấu)", opened_on=d.at(0.05), stage="prosecution", channel=CHANNEL)
    aid = legal_aid_request(access=lawyer, provider_id=loader.agencies["legalaid"].pk, requested_on=d.at(0.06),
                            proceeding_id=proceeding.pk, channel=CHANNEL)
    legal_aid_decide(access=lawyer, aid_id=aid.pk, status="granted", on=d.at(0.08), channel=CHANNEL)
    award = verdict_record(
        access=lawyer, proceeding_id=proceeding.pk, decided_on=d.at(0.20), court_level="first_instance",
        outcome="convicted", sentence_summary="8 năm tù (hư cấu).", compensation_awarded=40_000_000,
        debtor="Bị cáo (hư cấu), không có tài sản đăng ký", channel=CHANNEL)
    for kind, fraction in (("request_filed", 0.25), ("decision", 0.30), ("unable", 0.45)):
        enforcement_record(access=lawyer, award_id=award.pk, kind=kind, taken_on=d.at(fraction),
                           body="Chi cục Thi hành án dân sự Bạch Lĩnh (hư cấu)", channel=CHANNEL)
    proceeding_advance(access=lawyer, proceeding_id=proceeding.pk, stage="closed", status="closed", on=d.at(0.46),
                       channel=CHANNEL)


def _paid_in_full(loader: Any, case: Any, d: _Days) -> None:
    owner = _as(loader, "police.worker", case)
    proceeding = proceeding_create(
        access=owner, kind="civil", person_role="civil_plaintiff", court="Tòa án nhân dân khu vực Hồ Xanh (hư cấu)",
        case_number="DS-009/HX-2025 (hư cấu)", opened_on=d.at(0.15), stage="first_instance", channel=CHANNEL)
    award = verdict_record(
        access=owner, proceeding_id=proceeding.pk, decided_on=d.at(0.50), court_level="first_instance",
        outcome="claim_upheld", compensation_awarded=25_000_000, debtor="Công ty môi giới lao động (hư cấu)",
        channel=CHANNEL)
    payment_record(access=owner, award_id=award.pk, received_on=d.at(0.60), amount=10_000_000,
                   method="bank_transfer", evidence_ref="UNC-2201 (hư cấu)", channel=CHANNEL)
    payment_record(access=owner, award_id=award.pk, received_on=d.at(0.80), amount=15_000_000,
                   method="bank_transfer", evidence_ref="UNC-2288 (hư cấu)", channel=CHANNEL)
    # Waiting for the legal aid centre's decision (the centre's dashboard shows it).
    legal_aid_request(access=owner, provider_id=loader.agencies["legalaid"].pk, requested_on=d.at(0.90),
                      channel=CHANNEL)
