"""Demo data for support (issue 4): funding sources, shelter stays and more than a year of ledger entries.

Everything goes through the real services as the demo's users, so it is validated and audited like real
work. Funding source names are invented. The social work centre has one supervisor, so an entry its
supervisor records (the over-limit override) waits for a second supervisor, as the four-eyes rule says.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.cases.selectors import access_case
from haven.core.errors import HavenError
from haven.support.funding import funding_source_create
from haven.support.ledger import ledger_decide, ledger_propose, ledger_record, ledger_reverse
from haven.support.stays import stay_admit, stay_discharge

CHANNEL = "demo"

# (story, facility agency key, worker, admitted days ago, discharged days ago or None)
STAYS: tuple[tuple[str, str, str, int, int | None], ...] = (
    ("b01", "swc", "swc.worker", 100, None),  # old regime, 3 months: past its paid limit
    ("b02", "swc", "swc.worker", 87, None),  # old regime: a few paid days left
    ("s01", "swc", "swc.worker", 30, None),  # new regime, 120 days
    ("s06", "swc", "swc.worker", 200, 95),
    ("n01", "shelter", "shelter.worker", 20, None),
    ("b16", "shelter", "shelter.worker", 12, None),  # received on an accepted referral
    ("n03", "shelter", "shelter.worker", 420, 340),
)
# Who pays for what, month after month: (story, worker, supervisor, funding key)
PAYERS: tuple[tuple[str, str, str, str], ...] = (
    ("b01", "swc.worker", "swc.supervisor", "swc_state"),
    ("b02", "swc.worker", "swc.supervisor", "swc_state"),
    ("s01", "swc.worker", "swc.supervisor", "swc_state"),
    ("s03", "swc.worker", "swc.supervisor", "swc_state"),
    ("s06", "swc.worker", "swc.supervisor", "swc_state"),
    ("n01", "shelter.worker", "shelter.supervisor", "shelter_grant"),
    ("n03", "shelter.worker", "shelter.supervisor", "shelter_grant"),
    ("b16", "shelter.worker", "shelter.supervisor", "shelter_other"),
)
# Items tried in turn, with a typical actual cost where the rules give no amount (medicine, a bus ticket…).
ACTUAL_COST = {
    "food": 900_000, "essential_needs": 1_350_000, "travel": 420_000, "medical": 350_000,
    "psychological": 300_000, "vocational_training": 1_800_000, "clothing_personal_items": 400_000,
    "interpretation": 250_000, "legal_support": 200_000, "education": 650_000,
}


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    today, users, cases = loader.today, loader.users, loader.cases
    funds = {
        "swc_state": funding_source_create(
            acting_user=users["swc.supervisor"], kind="state_budget", channel=CHANNEL,
            name="Ngân sách tỉnh Lào Cai — chi hỗ trợ nạn nhân bị mua bán", code="LC-BTXH-HTNN"),
        "shelter_grant": funding_source_create(
            acting_user=users["shelter.supervisor"], kind="ngo_donor", channel=CHANNEL,
            name="Quỹ Mầm Xanh — tài trợ nhà an toàn (hư cấu)", code="MX-2025-07"),
        "shelter_other": funding_source_create(
            acting_user=users["shelter.supervisor"], kind="other", channel=CHANNEL,
            name="Quyên góp của cộng đồng (hư cấu)", code=""),
    }
    for key, facility, worker, admitted_ago, discharged_ago in STAYS:
        access = access_case(users[worker], case_id=cases[key].pk)
        admitted = max(today - dt.timedelta(days=admitted_ago), access.case.received_on)
        stay = stay_admit(access=access, facility_id=loader.agencies[facility].pk, admitted_on=admitted,
                          channel=CHANNEL)
        if discharged_ago is not None:
            stay_discharge(access=access_case(users[worker], case_id=cases[key].pk), stay_id=stay.pk,
                           discharged_on=max(admitted, today - dt.timedelta(days=discharged_ago)), channel=CHANNEL)
    approved = _monthly_entries(loader, funds)
    _corrections(loader, funds, approved)


def _record(loader: Any, key: str, worker: str, fund: Any, item: str, day: dt.date, n: int) -> Any | None:
    """One entry at the engine's proposal (or a typical actual cost); None where the item does not fit."""
    access = access_case(loader.users[worker], case_id=loader.cases[key].pk)
    if day < access.case.received_on:
        return None
    try:
        proposal = ledger_propose(access, item=item, provided_on=day, channel=CHANNEL)
        if proposal.refused or proposal.proposed == 0:
            return None
        amount = proposal.proposed if proposal.proposed is not None else ACTUAL_COST[item]
        invoice = n % 3 != 0
        return ledger_record(
            access=access, item=item, kind="payment" if item in ("food", "essential_needs", "travel") else "service",
            provided_on=day, amount=amount, funding_source_id=fund.pk,
            evidence_kind="invoice" if invoice else "signature_list",
            evidence_ref=f"HĐ {day:%Y%m}-{n:03d}" if invoice else f"DS-KN {day:%m/%Y}-{n:02d}", channel=CHANNEL)
    except HavenError:
        return None


def _monthly_entries(loader: Any, funds: dict[str, Any]) -> list[Any]:
    """Fourteen months of services and payments, approved by the supervisor; the newest few left waiting."""
    today, n, approved = loader.today, 0, []
    for months_ago in range(14, -1, -1):
        day = today - dt.timedelta(days=30 * months_ago + 3)
        for index, (key, worker, supervisor, fund_key) in enumerate(PAYERS):
            # Stay costs first, then the other items in turn, so that months show different kinds of support.
            others = [i for i in ACTUAL_COST if i not in ("food", "essential_needs")]
            turn = (months_ago + index) % len(others)
            items = ["food", "essential_needs"] if months_ago % 2 == 0 else []
            for item in items + others[turn:] + others[:turn]:
                n += 1
                entry = _record(loader, key, worker, funds[fund_key], item, day, n)
                if entry is None:
                    continue
                if months_ago > 0 or n % 2:
                    ledger_decide(acting_user=loader.users[supervisor], entry_id=entry.pk, approved=True,
                                  channel=CHANNEL)
                    approved.append((entry, worker, supervisor))
                break  # one entry per person per month keeps the story readable
    return approved


def _corrections(loader: Any, funds: dict[str, Any], approved: list[Any]) -> None:
    users, today = loader.users, loader.today
    # One mistake corrected by a reversing entry, itself approved.
    entry, worker, supervisor = next(e for e in approved if e[1] == "swc.worker")
    reversal = ledger_reverse(access=access_case(users[worker], case_id=entry.case_id), entry_id=entry.pk,
                              reason="Ghi trùng với phiếu chi đã nhập trước đó.", channel=CHANNEL)
    ledger_decide(acting_user=users[supervisor], entry_id=reversal.pk, approved=True, channel=CHANNEL)
    # One payment above the legal limit: the centre's supervisor overrides with a reason; it waits for
    # a second supervisor (the centre has one, so it stays pending, as four eyes require).
    access = access_case(users["swc.supervisor"], case_id=loader.cases["b01"].pk)
    proposal = ledger_propose(access, item="food", provided_on=today, channel=CHANNEL)
    limit = proposal.entitled_amount or 0
    ledger_record(
        access=access, item="food", kind="payment", provided_on=today,
        amount=max(limit - proposal.already, 0) + 600_000, funding_source_id=funds["swc_state"].pk,
        evidence_kind="signature_list", evidence_ref=f"DS-KN {today:%m/%Y}-VM",
        amount_reason="Người được hỗ trợ ở lại Trung tâm quá thời hạn vì chưa an toàn để về nhà.",
        over_limit_reason="Chưa đủ điều kiện an toàn để hồi gia; Trung tâm tiếp tục chi tiền ăn 20 ngày.",
        channel=CHANNEL)
