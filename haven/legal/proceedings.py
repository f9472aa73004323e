"""Writes: proceedings and legal aid. Keyword-only, atomic, validated, audited; HavenError on bad input.

Legal-aid eligibility is not decided here: it is the entitlements engine's legal-aid item for the person
on the request date (Legal Aid Law 2017 Art. 7(7)(g) before 2025-07-01; Art. 7 cl. 6a, added by Law
53/2024, from then on), stored with the request as the engine gave it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, AgencyKind
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import Category
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.entitlements.engine.evaluate import evaluate
from haven.entitlements.engine.parameters import ParameterError
from haven.entitlements.engine.profile import ProfileError
from haven.entitlements.services import case_entitlements, case_profile, parameter_store
from haven.legal.access import may_write
from haven.legal.models import (
    AidStatus,
    Eligibility,
    LegalAid,
    PersonRole,
    Proceeding,
    ProceedingKind,
    ProceedingStatus,
    Stage,
)

LEGAL_AID_ITEM = "legal_aid"  # the engine's item code (haven/entitlements/engine/regimes.py)
NOT_IN_REGIME = Eligibility.NOT_IN_REGIME.value
# Provider agencies: a state legal aid centre first; an NGO or the Women's Union may also give legal help.
PROVIDER_KINDS = (AgencyKind.LEGAL_AID, AgencyKind.NGO_SHELTER, AgencyKind.WOMENS_UNION, AgencyKind.SOCIAL_PROTECTION)
AID_TRANSITIONS = {
    AidStatus.REQUESTED: {AidStatus.GRANTED, AidStatus.REFUSED},
    AidStatus.GRANTED: {AidStatus.ENDED},
}


def _writer(access: CaseAccess) -> None:
    if not may_write(access):
        raise NotFound()


def _proceeding(access: CaseAccess, proceeding_id: Any, *, lock: bool = False) -> Proceeding:
    rows = Proceeding.objects.filter(case=access.case)
    if lock:
        rows = rows.select_for_update()
    found = rows.filter(pk=v.record_id(proceeding_id)).first()
    if found is None:
        raise NotFound()
    return found


def _plausible(access: CaseAccess, day: dt.date | None, field: str) -> None:
    # A proceeding may well have started before the person was received (e.g. a trafficker was already
    # under investigation), so only dates before 1990 are refused — v.date refuses future dates.
    if day is not None and day.year < 1990:
        raise HavenError(_("The date is too far in the past."), field=field)


@transaction.atomic
def proceeding_create(*, access: CaseAccess, kind: Any, person_role: Any, court: Any = "", case_number: Any = "",
                      opened_on: Any = None, stage: Any = Stage.INVESTIGATION, channel: str = "web") -> Proceeding:
    """Record a criminal or civil proceeding in which the person takes part. Court and number are sealed."""
    _writer(access)
    kind = v.choice(kind, "kind", ProceedingKind.values)
    role = v.choice(person_role, "person_role", PersonRole.values)
    stage = v.choice(stage or Stage.INVESTIGATION, "stage", [s for s in Stage.values if s != Stage.CLOSED])
    opened = v.date(opened_on, "opened_on")
    _plausible(access, opened, "opened_on")
    proceeding = Proceeding.objects.create(
        case=access.case, kind=kind, person_role=role, court=v.text(court, "court", max_length=300),
        case_number=v.text(case_number, "case_number", max_length=100), opened_on=opened, stage=stage,
        recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="proceeding", object_id=proceeding.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"kind": kind, "person_role": role, "stage": stage, "opened_on": _iso(opened),
                          "court": "sealed" if proceeding.court else "", "case_number":
                          "sealed" if proceeding.case_number else ""})
    return proceeding


@transaction.atomic
def proceeding_advance(*, access: CaseAccess, proceeding_id: Any, stage: Any, status: Any = ProceedingStatus.ACTIVE,
                       on: Any = None, channel: str = "web") -> Proceeding:
    """Move a proceeding to another stage or status. Closing it needs the date; a closed one stays closed."""
    _writer(access)
    proceeding = _proceeding(access, proceeding_id, lock=True)
    if proceeding.status == ProceedingStatus.CLOSED:
        raise HavenError(_("This proceeding is closed."), code="bad_transition")
    stage = v.choice(stage, "stage", Stage.values)
    status = v.choice(status or ProceedingStatus.ACTIVE, "status", ProceedingStatus.values)
    if (stage == Stage.CLOSED) != (status == ProceedingStatus.CLOSED):
        raise HavenError(_("A proceeding is closed at the stage “Closed”, and only then."), field="status")
    closed_on = v.date(on, "on", required=status == ProceedingStatus.CLOSED) if status == ProceedingStatus.CLOSED \
        else None
    if closed_on and proceeding.opened_on and closed_on < proceeding.opened_on:
        raise HavenError(_("The proceeding cannot close before it opened."), field="on")
    old = {"stage": proceeding.stage, "status": proceeding.status}
    if old == {"stage": stage, "status": status}:
        raise HavenError(_("Nothing changed: choose another stage or status."), field="stage")
    proceeding.stage, proceeding.status, proceeding.closed_on = stage, status, closed_on
    proceeding.full_clean(exclude=["case", "recorded_by"])
    proceeding.save(update_fields=["stage", "status", "closed_on"])
    audit_record(actor=access.user, action=AuditAction.STATUS, object_type="proceeding", object_id=proceeding.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"stage": [old["stage"], stage], "status": [old["status"], status],
                          "closed_on": _iso(closed_on)})
    return proceeding


def providers() -> Any:
    """Agencies that may give legal aid, state legal aid centres first."""
    order = Case(When(kind=AgencyKind.LEGAL_AID, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Agency.objects.filter(kind__in=PROVIDER_KINDS).annotate(first=order).order_by("first", "name")


def eligibility_on(access: CaseAccess, day: dt.date, *, channel: str = "web") -> dict[str, Any]:
    """The engine's legal-aid item for the person on `day`: status, reasons, citations and confidence, exactly
    as the engine gives them. A person whose regime has no legal-aid item gets `not_in_regime` with the
    engine's reasons for the regime (e.g. an accompanying minor under Law 66/2011, or a relative)."""
    result = _evaluate(access, day, channel)
    item = next((i for i in result.get("items", []) if i["code"] == LEGAL_AID_ITEM), None)
    if item is None:
        reasons = result.get("reasons") or ([result["not_applicable"]] if result.get("not_applicable") else [])
        return {"status": NOT_IN_REGIME, "reasons": list(reasons), "citations": list(result.get("citations", [])),
                "confidence": "", "regime": result.get("regime") or ""}
    return {"status": item["status"], "reasons": list(item["reasons"]), "citations": list(item["citations"]),
            "confidence": item.get("confidence", ""), "regime": result.get("regime") or ""}


def _evaluate(access: CaseAccess, day: dt.date, channel: str) -> dict[str, Any]:
    """`case_entitlements` on the request date. A shelter stay that began after that date had not begun then:
    the engine refuses a profile whose open stay starts after the evaluation date, so the stay is left out
    of the profile (legal aid does not depend on it). Any other engine refusal is the engine's message."""
    if access.case.category == Category.RELATIVE:
        return case_entitlements(access, on=day, channel=channel)
    profile = case_profile(access, channel=channel)
    stay = profile.get("shelter_stay")
    if stay and stay.get("from") and dt.date.fromisoformat(stay["from"]) > day:
        profile["shelter_stay"] = None
    try:
        return evaluate(profile, day, store=parameter_store())
    except (ProfileError, ParameterError, ValueError) as exc:
        raise HavenError(_("The entitlements cannot be computed: %(why)s") % {"why": exc}, code="engine",
                         field="requested_on") from exc


@transaction.atomic
def legal_aid_request(*, access: CaseAccess, provider_id: Any, requested_on: Any, proceeding_id: Any = None,
                      channel: str = "web") -> LegalAid:
    """Record a request for legal aid to a provider, with the engine's eligibility on the request date."""
    _writer(access)
    try:
        pk = v.record_id(provider_id)
    except NotFound:
        raise HavenError(_("Choose one of the listed legal aid providers."), field="provider") from None
    provider = providers().filter(pk=pk).first()
    if provider is None:
        raise HavenError(_("Choose one of the listed legal aid providers."), field="provider")
    day = v.required_date(requested_on, "requested_on")
    _plausible(access, day, "requested_on")
    proceeding = _proceeding(access, proceeding_id) if proceeding_id not in (None, "") else None
    if LegalAid.objects.filter(case=access.case, provider=provider, proceeding=proceeding,
                               status__in=[AidStatus.REQUESTED, AidStatus.GRANTED]).exists():
        raise HavenError(_("This provider already has an open request or grant for this proceeding."),
                         field="provider", code="duplicate")
    found = eligibility_on(access, day, channel=channel)
    aid = LegalAid.objects.create(
        case=access.case, proceeding=proceeding, provider=provider, requested_on=day,
        eligibility_status=found["status"], eligibility_reasons=found["reasons"],
        eligibility_citations=found["citations"], eligibility_confidence=found["confidence"],
        eligibility_regime=found["regime"], eligibility_evaluated_on=day, recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="legal_aid", object_id=aid.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"provider": provider.pk, "requested_on": day.isoformat(),
                          "proceeding": proceeding.pk if proceeding else None, "eligibility": found["status"]})
    return aid


@transaction.atomic
def legal_aid_decide(*, access: CaseAccess, aid_id: Any, status: Any, on: Any, channel: str = "web") -> LegalAid:
    """Grant or refuse a request, or end a grant. The provider decides; the owning agency may record the
    provider's written decision too."""
    _writer(access)
    aid = (LegalAid.objects.select_for_update().filter(case=access.case, pk=v.record_id(aid_id)).first())
    if aid is None:
        raise NotFound()
    if not (access.can_edit or aid.provider_id == access.user.agency_id):
        raise NotFound()
    status = v.choice(status, "status", [AidStatus.GRANTED, AidStatus.REFUSED, AidStatus.ENDED])
    if status not in AID_TRANSITIONS.get(AidStatus(aid.status), set()):
        raise HavenError(_("This request cannot move to that status now."), field="status", code="bad_transition")
    day = v.required_date(on, "on")
    if day < aid.requested_on:
        raise HavenError(_("The decision cannot come before the request."), field="on")
    old = aid.status
    if status == AidStatus.ENDED:
        aid.ended_on = day
        fields = ["status", "ended_on"]
    else:
        aid.decided_on, aid.decided_by = day, access.user
        fields = ["status", "decided_on", "decided_by"]
    aid.status = status
    aid.save(update_fields=fields)
    audit_record(actor=access.user, action=AuditAction.STATUS, object_type="legal_aid", object_id=aid.pk,
                 case_id=access.case.pk, channel=channel, changes={"status": [old, status], "on": day.isoformat()})
    return aid


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
