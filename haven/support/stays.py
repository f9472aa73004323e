"""Shelter stays: admission and discharge at a facility, and the state-paid food limit of each stay.

The limit is the entitlements engine's, never a number written here: the food item of Law 66/2011
(60 days to 2019-12-31 under Decree 09/2013, 3 months from 2020-01-01 under Circular 84/2019) or the
essential-needs item of Law 53/2024 (120 days, Decree 162/2025 Art. 17). The stay's dates are copied
to the case's EntitlementFacts (through the entitlements service) so that the engine counts the paid
days of the current stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, AgencyKind
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.entitlements.services import case_entitlements, facts_for, facts_update
from haven.followup.selectors import minor_may_leave
from haven.support.models import ShelterStay

FACILITY_KINDS = (AgencyKind.SOCIAL_PROTECTION, AgencyKind.NGO_SHELTER)
# The engine's items that pay for each day of a stay, one per regime.
STAY_ITEMS = ("food", "essential_needs")
# Warn this many days (or fewer) before the state stops paying for food. A deployment may change it.
WARNING_DAYS: int = getattr(settings, "HAVEN_STAY_WARNING_DAYS", 7)


class LimitState:
    NONE = "none"  # the engine gives no limit (e.g. the item does not apply)
    OK = "ok"
    NEAR = "near"  # WARNING_DAYS or fewer remain
    PASSED = "passed"  # the stay goes on after the last paid day


@dataclass(frozen=True)
class StayLimit:
    """Where a stay stands against its state-paid limit on a day."""

    item: str
    paid_until: dt.date | None
    limit_days: int | None
    days_so_far: int
    days_left: int | None
    state: str

    @property
    def percent(self) -> int:
        if not self.limit_days:
            return 0
        return min(100, round(100 * self.days_so_far / self.limit_days))


def facilities() -> QuerySet[Agency]:
    """Agencies where a person can stay: social work centres and NGO shelters."""
    return Agency.objects.filter(kind__in=FACILITY_KINDS, is_active=True).order_by("name")


def stay_limit(stay: ShelterStay, on: dt.date | None = None) -> StayLimit:
    """The stay's paid days against its limit on `on` (default today). Pure arithmetic on stored dates."""
    on = on or timezone.localdate()
    last = min(stay.discharged_on, on) if stay.discharged_on else on
    days_so_far = max(0, (last - stay.admitted_on).days + 1)
    if stay.paid_until is None:
        return StayLimit(stay.paid_item, None, None, days_so_far, None, LimitState.NONE)
    limit_days = (stay.paid_until - stay.admitted_on).days + 1
    days_left = (stay.paid_until - on).days
    if stay.discharged_on is not None:
        state = LimitState.PASSED if stay.discharged_on > stay.paid_until else LimitState.OK
    elif days_left < 0:
        state = LimitState.PASSED
    elif days_left <= WARNING_DAYS:
        state = LimitState.NEAR
    else:
        state = LimitState.OK
    return StayLimit(stay.paid_item, stay.paid_until, limit_days, days_so_far, days_left, state)


def evaluation_day(access: CaseAccess, day: dt.date) -> dt.date:
    """The engine refuses a date before the identification it is given, or before an ongoing stay began. A stay
    or a payment before the identification is judged on the identification day (Law 53/2024 Art. 63 chooses the
    regime by it); a payment before the current stay, on the day the stay began."""
    case = access.case
    facts = facts_for(case)
    ongoing = facts.shelter_from if facts.shelter_to is None else None
    dates = [day, case.identified_on, case.accompanies.identified_on if case.accompanies else None, ongoing]
    return max(d for d in dates if d is not None)


def paid_limit(access: CaseAccess, admitted_on: dt.date, *, channel: str = "web") -> tuple[str, dt.date | None]:
    """The engine's stay item for this person and the last day the state pays, as in force when the stay
    began. Needs the case's facts to hold this stay already."""
    result = case_entitlements(access, on=evaluation_day(access, admitted_on), channel=channel)
    item = next((i for i in result["items"] if i["code"] in STAY_ITEMS), None)
    if item is None:
        return "", None
    limits = item["limits"]
    if limits.get("limit_ends"):
        return item["code"], dt.date.fromisoformat(str(limits["limit_ends"]))
    if limits.get("max_days") and item["status"] not in ("not_entitled", "deadline_passed", "needs_information"):
        return item["code"], admitted_on + dt.timedelta(days=int(limits["max_days"]) - 1)
    return item["code"], None


def _facility(access: CaseAccess, facility_id: Any) -> Agency:
    try:
        pk = v.record_id(facility_id)
    except NotFound:
        raise HavenError(_("Choose a facility from the list."), field="facility") from None
    facility = facilities().filter(pk=pk).first()
    if facility is None:
        raise HavenError(_("Choose a facility from the list."), field="facility")
    user_agency = access.user.agency_id
    if facility.pk != user_agency and access.case.owner_agency_id != user_agency:
        # A facility records its own admissions; the owning agency may record a stay anywhere.
        raise HavenError(_("Your agency can record stays only at its own facility."), field="facility")
    return facility


def _sync_facts(access: CaseAccess, stay: ShelterStay, channel: str) -> None:
    """The engine counts one stay: the latest. Keep the case's facts on it."""
    latest = ShelterStay.objects.filter(case=access.case).order_by("-admitted_on", "-pk").first()
    if latest is None or latest.pk != stay.pk:
        return
    facts_update(access=access, channel=channel, changes={
        "shelter_from": stay.admitted_on.isoformat(),
        "shelter_to": stay.discharged_on.isoformat() if stay.discharged_on else None,
    })


@transaction.atomic
def stay_admit(*, access: CaseAccess, facility_id: Any, admitted_on: Any, channel: str = "web") -> ShelterStay:
    """Admit the person to a facility. One open stay per case, no overlap with an earlier stay, no future date."""
    if not access.can_serve:
        raise NotFound()
    facility = _facility(access, facility_id)
    day = v.required_date(admitted_on, "admitted_on")
    if day < access.case.received_on:
        raise HavenError(_("A stay cannot begin before the person was received."), field="admitted_on")
    stays = ShelterStay.objects.select_for_update().filter(case=access.case)
    if stays.filter(discharged_on__isnull=True).exists():
        raise HavenError(_("The person is already staying at a facility: record the discharge first."),
                         field="admitted_on", code="open_stay")
    if stays.filter(discharged_on__gt=day).exists():
        raise HavenError(_("This stay would overlap an earlier stay."), field="admitted_on", code="overlap")
    stay = ShelterStay.objects.create(case=access.case, facility=facility, admitted_on=day, admitted_by=access.user)
    _sync_facts(access, stay, channel)
    stay.paid_item, stay.paid_until = paid_limit(access, day, channel=channel)
    stay.save(update_fields=["paid_item", "paid_until"])
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="shelter_stay", object_id=stay.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"facility": facility.pk, "admitted_on": day.isoformat(),
                          "paid_until": stay.paid_until.isoformat() if stay.paid_until else None})
    return stay


@transaction.atomic
def stay_discharge(*, access: CaseAccess, stay_id: Any, discharged_on: Any, note: str = "",
                   channel: str = "web") -> ShelterStay:
    """Discharge the person: on or after the admission, not in the future. The facility or the owning agency.
    A minor only with an approved safety assessment of the home (`followup.selectors.minor_may_leave`)."""
    if not access.can_serve:
        raise NotFound()
    stay = ShelterStay.objects.select_for_update().filter(case=access.case, pk=v.record_id(stay_id)).first()
    if stay is None or access.user.agency_id not in (stay.facility_id, access.case.owner_agency_id):
        raise NotFound()
    if stay.discharged_on is not None:
        raise HavenError(_("This stay has already ended."), code="bad_transition")
    day = v.required_date(discharged_on, "discharged_on")
    if day < stay.admitted_on:
        raise HavenError(_("The discharge cannot come before the admission."), field="discharged_on")
    # Decree 09/2013 Art. 21: a minor leaves only after an approved safety assessment of the home.
    allowed, reason = minor_may_leave(access.case, day, stay=stay)
    if not allowed:
        raise HavenError(reason, field="discharged_on", code="safety_assessment_required")
    stay.discharged_on, stay.discharged_by = day, access.user
    stay.discharge_note = v.text(note, "note", max_length=2000)
    stay.save(update_fields=["discharged_on", "discharged_by", "discharge_note"])
    _sync_facts(access, stay, channel)
    audit_record(actor=access.user, action=AuditAction.UPDATE, object_type="shelter_stay", object_id=stay.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"discharged_on": [None, day.isoformat()], "note_given": bool(stay.discharge_note),
                          "past_paid_limit": bool(stay.paid_until and day > stay.paid_until)})
    return stay
