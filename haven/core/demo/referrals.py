"""Demo data for referrals and transfers (issue 4), on top of the referrals made in build.py.

- b07 consents to sharing with NGO shelters, so a caseworker can refer her to the safe house in the
  browser, and the safe house can accept and complete the referral;
- the safe house's referral of n01 to legal aid is overdue (unanswered past its date);
- b08 moved home to Tuyên Quang: the border post's supervisor asked the social work centre there to
  take the case over (pending). The centre is the demo's only agency outside Lào Cai and has no users.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.accounts.models import AgencyKind
from haven.cases.selectors import Need, access_case
from haven.consent.models import Decision, GivenBy, Method, Purpose
from haven.consent.services import consent_record
from haven.referrals.models import Referral, ReferralStatus
from haven.referrals.transfers import transfer_request

CHANNEL = "demo"
FAR_AGENCY = "tqswc"  # in haven/core/demo/org.py, with its supervisor tq.supervisor
TRANSFER = ("b08", "border.supervisor",
            "Anh đã về sống cùng gia đình ở tỉnh Tuyên Quang; đề nghị Trung tâm tiếp nhận, theo dõi và hỗ trợ "
            "tái hòa nhập tại địa phương.")
SHELTER_CONSENT = "b07"
OVERDUE = ("n01", "legalaid", 2)  # story, receiving agency, days past the date


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    _shelter_consent(loader)
    _overdue(loader)
    _transfer(loader)


def _shelter_consent(loader: Any) -> None:
    case = loader.cases[SHELTER_CONSENT]
    owner = loader.users[loader.specs[SHELTER_CONSENT].story.owner]
    consent_record(
        access=access_case(owner, case_id=case.pk, need=Need.EDIT), purpose=Purpose.SHARING,
        agency_kind=AgencyKind.NGO_SHELTER, decision=Decision.GIVEN, given_by=GivenBy.PERSON,
        method=Method.SIGNED_FORM, effective_on=loader.today, channel=CHANNEL,
    )


def _overdue(loader: Any) -> None:
    # A response date cannot be chosen in the past, so the demo moves an unanswered referral's dates back.
    key, agency_key, days = OVERDUE
    referral = Referral.objects.filter(case=loader.cases[key], to_agency=loader.agencies[agency_key],
                                       status=ReferralStatus.SENT).first()
    if referral is not None:
        Referral.objects.filter(pk=referral.pk).update(
            due_on=loader.today - dt.timedelta(days=days),
            sent_at=referral.sent_at - dt.timedelta(days=days + 5),
        )


def _transfer(loader: Any) -> None:
    far = loader.agencies[FAR_AGENCY]
    key, username, reason = TRANSFER
    access = access_case(loader.users[username], case_id=loader.cases[key].pk, need=Need.SUPERVISE)
    transfer_request(access=access, to_agency_id=far.pk, reason=reason, channel=CHANNEL)
