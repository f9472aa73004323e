"""The engine applied to registered cases: facts, official figures, applications and their steps.

The engine itself (haven.entitlements.engine) knows nothing of Django; this module builds its input
from the case record and stores what people do with the result. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import IdentityField, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import Category
from haven.cases.selectors import CaseAccess, read_identity
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.entitlements.engine.calendar import add_working_days
from haven.entitlements.engine.evaluate import evaluate
from haven.entitlements.engine.parameters import ParameterError, ParameterStore, default_store
from haven.entitlements.engine.profile import ProfileError
from haven.entitlements.models import (
    ApplicationItem,
    ApplicationStatus,
    ApplicationStep,
    Confidence,
    EntitlementFacts,
    ParameterValue,
    SupportApplication,
)
from haven.entitlements.procedures import body_on, procedure_for

FACT_FIELDS = (
    "poor_household", "near_poor_household", "financial_difficulty", "has_health_insurance", "has_relatives",
    "revolutionary_merit_family",
)


def parameter_store() -> ParameterStore:
    """The shipped YAML parameters plus the official figures administrators entered in the database."""
    return default_store().with_values(_as_engine_value(row) for row in ParameterValue.objects.all())


def province_slug(case: Any) -> str | None:
    """The engine's province slug: home province first, else where the person was received."""
    unit = case.person.home_province or (case.reception_unit.province() if case.reception_unit_id else None)
    if unit is None:
        return None
    return unit.code.split("/")[0].removesuffix("-2025")


def facts_for(case: Any) -> EntitlementFacts:
    return EntitlementFacts.objects.filter(case=case).first() or EntitlementFacts(case=case)


def case_profile(access: CaseAccess, *, application_received_on: dt.date | None = None,
                 channel: str = "web") -> dict[str, Any]:
    """The engine's input for this case. The exact birth date is read (and audited) only if the user may see it."""
    case = access.case
    facts = facts_for(case)
    birth_date = None
    if IdentityField.DATE_OF_BIRTH in access.identity_fields:
        raw = read_identity(access, fields=frozenset({IdentityField.DATE_OF_BIRTH}), channel=channel).get(
            IdentityField.DATE_OF_BIRTH)
        birth_date = raw or None
    nationality = "stateless_resident" if case.person.nationality == "stateless" else case.person.nationality
    shelter = None
    if facts.shelter_from:
        shelter = {"from": facts.shelter_from.isoformat(),
                   "to": facts.shelter_to.isoformat() if facts.shelter_to else None}
    victim = case.accompanies
    return {
        "id": case.code,
        "category": case.category,
        "nationality": nationality,
        "located": facts.located,
        "birth_date": birth_date,
        "sex": case.person.sex if case.person.sex in ("female", "male") else None,
        "identified_on": case.identified_on.isoformat() if case.identified_on else None,
        "accompanies": victim.identified_on.isoformat() if victim and victim.identified_on else None,
        "province": province_slug(case),
        **{name: getattr(facts, name) for name in FACT_FIELDS},
        "shelter_stay": shelter,
        "application_received_on": application_received_on.isoformat() if application_received_on else None,
    }


def case_entitlements(access: CaseAccess, *, on: dt.date | None = None, channel: str = "web",
                      application_received_on: dt.date | None = None) -> dict[str, Any]:
    """Evaluate the case on a date. Relatives have protection rights but no support regime."""
    on = on or timezone.localdate()
    if access.case.category == Category.RELATIVE:
        return {"id": access.case.code, "regime": None, "items": [], "not_applicable": {
            "vi": "Người thân của nạn nhân được bảo vệ nhưng không thuộc đối tượng của chế độ hỗ trợ.",
            "en": "A victim's relative is entitled to protection but not to the support regimes.",
        }}
    profile = case_profile(access, application_received_on=application_received_on, channel=channel)
    try:
        return evaluate(profile, on, store=parameter_store())
    except (ProfileError, ParameterError, ValueError) as exc:
        # ValueError: e.g. a date before the first regime (2013-04-15); never a server error.
        raise HavenError(_("The entitlements cannot be computed: %(why)s") % {"why": exc}, code="engine",
                         field="on") from exc


@transaction.atomic
def facts_update(*, access: CaseAccess, changes: dict[str, Any], channel: str = "web") -> EntitlementFacts:
    """Record the circumstances that decide eligibility (unknown stays None). An agency serving the case on
    an accepted referral may change only the shelter dates (support.stays keeps them in step with its stays)."""
    if not (access.can_edit or (access.can_serve and set(changes) <= {"shelter_from", "shelter_to"})):
        raise NotFound()
    unknown = set(changes) - set(FACT_FIELDS) - {"located", "shelter_from", "shelter_to"}
    if unknown:
        raise HavenError(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    facts = facts_for(access.case)
    old = {name: _jsonable(getattr(facts, name)) for name in changes}
    for name, raw in changes.items():
        if name in FACT_FIELDS:
            if raw not in (True, False, None):
                raise HavenError(_("Answer yes, no or not known."), field=name)
            setattr(facts, name, raw)
        elif name == "located":
            facts.located = v.choice(raw, "located", ["vietnam", "abroad"])
        else:
            # A stay is recorded once it has begun; a future date would block every evaluation.
            setattr(facts, name, v.date(raw, name))
    if facts.shelter_to and not facts.shelter_from:
        raise HavenError(_("Enter when the stay began."), field="shelter_from")
    if facts.shelter_from and facts.shelter_to and facts.shelter_to < facts.shelter_from:
        raise HavenError(_("The stay cannot end before it begins."), field="shelter_to")
    facts.updated_by = access.user
    facts.save()
    new = {name: _jsonable(getattr(facts, name)) for name in changes}
    audit_record(actor=access.user, action=AuditAction.UPDATE, object_type="entitlement_facts", object_id=facts.pk,
                 case_id=access.case.pk, changes={k: [old[k], new[k]] for k in changes if old[k] != new[k]},
                 channel=channel)
    return facts


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _plan_steps(application: SupportApplication, start: dt.date) -> None:
    """Due dates chain in working days from the receipt; each step's body is the one in office then."""
    procedure = procedure_for(application.regime)
    due: dt.date | None = start
    for step in procedure.steps:
        due = add_working_days(due, step.working_days) if step.working_days is not None and due else None
        body = body_on(step.role, due or start)
        ApplicationStep.objects.create(
            application=application, order=step.order, code=step.code, body_vi=body.vi, body_en=body.en,
            working_days=step.working_days, due_on=due, citation=procedure.citation,
            confidence=Confidence.UNVERIFIED if Confidence.UNVERIFIED in (step.confidence, body.confidence)
            else step.confidence,
        )


@transaction.atomic
def application_create(*, access: CaseAccess, item: str, received_on: Any, channel: str = "web") -> SupportApplication:
    """Open a dossier. The engine says whether it is in time (12 months from identification, Decree 09/2013 Art. 23)."""
    if not access.can_edit:
        raise NotFound()
    item = v.choice(item, "item", ApplicationItem.values)
    day = v.required_date(received_on, "received_on")
    result = case_entitlements(access, on=day, application_received_on=day, channel=channel)
    entry = next((i for i in result["items"] if i["code"] == item), None)
    if entry is None:
        raise HavenError(_("This person's regime has no such item."), field="item")
    if SupportApplication.objects.filter(case=access.case, item=item, status=ApplicationStatus.IN_PROGRESS).exists():
        raise HavenError(_("An application for this item is already being processed."), field="item")
    application = SupportApplication.objects.create(
        case=access.case, item=item, received_on=day, regime=result["regime"], created_by=access.user,
    )
    _plan_steps(application, day)
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="support_application",
                 object_id=application.pk, case_id=access.case.pk,
                 changes={"item": item, "received_on": day.isoformat(), "engine_status": entry["status"]},
                 channel=channel)
    return application


def _application(access: CaseAccess, application_id: Any) -> SupportApplication:
    if not access.can_edit:
        raise NotFound()
    application = (SupportApplication.objects.select_for_update()
                   .filter(case=access.case, pk=v.record_id(application_id)).first())
    if application is None:
        raise NotFound()
    if application.status != ApplicationStatus.IN_PROGRESS:
        raise HavenError(_("This application has already been decided."), code="bad_transition")
    return application


@transaction.atomic
def application_step_complete(*, access: CaseAccess, application_id: Any, completed_on: Any, note: str = "",
                              channel: str = "web") -> ApplicationStep:
    """Mark the next open step done; the following step's due date counts from this completion."""
    application = _application(access, application_id)
    steps = list(application.steps.order_by("order"))
    current = next((s for s in steps if s.completed_on is None), None)
    if current is None:
        raise HavenError(_("Every step is done: record the decision."), code="bad_transition")
    day = v.required_date(completed_on, "completed_on")
    previous = max([s.completed_on for s in steps if s.completed_on] + [application.received_on])
    if day < previous:
        raise HavenError(_("A step cannot be completed before the previous one."), field="completed_on")
    current.completed_on, current.completed_by = day, access.user
    current.note = v.text(note, "note", max_length=2000)
    current.save(update_fields=["completed_on", "completed_by", "note"])
    following = next((s for s in steps if s.order == current.order + 1), None)
    if following is not None and following.working_days is not None:
        following.due_on = add_working_days(day, following.working_days)
        following.save(update_fields=["due_on"])
    audit_record(actor=access.user, action=AuditAction.UPDATE, object_type="application_step", object_id=current.pk,
                 case_id=access.case.pk, changes={"step": current.code, "completed_on": day.isoformat(),
                                                  "late": bool(current.due_on and day > current.due_on)},
                 channel=channel)
    return current


@transaction.atomic
def application_decide(*, access: CaseAccess, application_id: Any, decision: str, decided_on: Any,
                       note: str = "", amount_vnd: Any = None, channel: str = "web") -> SupportApplication:
    """Record the decision. A refusal must say why, so the person can be told."""
    if access.user.role != Role.SUPERVISOR and not access.can_edit:
        raise PermissionDenied()
    application = _application(access, application_id)
    decision = v.choice(decision, "decision", [ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
                                               ApplicationStatus.WITHDRAWN])
    day = v.required_date(decided_on, "decided_on")
    if day < application.received_on:
        raise HavenError(_("The decision cannot come before the application."), field="decided_on")
    note = v.text(note, "note", required=decision == ApplicationStatus.REJECTED, max_length=2000)
    amount = None
    if amount_vnd not in (None, ""):
        try:
            amount = int(amount_vnd)
        except (TypeError, ValueError):
            raise HavenError(_("Enter the amount in đồng, digits only."), field="amount_vnd") from None
        if isinstance(amount_vnd, bool) or not 0 <= amount <= 10**12:
            raise HavenError(_("Enter the amount in đồng, digits only."), field="amount_vnd")
    application.status, application.decided_on, application.decision_note = decision, day, note
    application.amount_vnd = amount
    application.save(update_fields=["status", "decided_on", "decision_note", "amount_vnd"])
    audit_record(actor=access.user, action=AuditAction.STATUS, object_type="support_application",
                 object_id=application.pk, case_id=access.case.pk,
                 changes={"status": ["in_progress", decision], "amount_vnd": amount}, channel=channel)
    return application


def overdue_steps(user: Any, today: dt.date | None = None) -> Any:
    """The step each open dossier waits on, where it is past its due date, in the supervisor's agency."""
    if not (user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id):
        return ApplicationStep.objects.none()
    earlier_open = ApplicationStep.objects.filter(
        application=OuterRef("application"), order__lt=OuterRef("order"), completed_on__isnull=True
    )
    return ApplicationStep.objects.filter(~Exists(earlier_open)).filter(
        application__case__owner_agency_id=user.agency_id, application__status=ApplicationStatus.IN_PROGRESS,
        completed_on__isnull=True, due_on__lt=today or timezone.localdate(),
    ).select_related("application__case")


def parameter_value_check(*, acting_user: Any, parameter: str, scope: str, valid_from: Any, amount: Any, unit: str,
                          instrument: str, article: str = "", confidence: str = Confidence.CONFIRMED,
                          valid_to: Any = None) -> ParameterValue:
    """Validate an official figure without saving it: the engine must accept it and it must be new."""
    if not (acting_user.is_authenticated and acting_user.role in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)):
        raise PermissionDenied()
    store = default_store()
    parameter = v.text(parameter, "parameter", required=True, max_length=80)
    if parameter not in store.definitions:
        raise HavenError(_("Unknown parameter."), field="parameter")
    row = ParameterValue(
        parameter=parameter, scope=v.text(scope, "scope", required=True, max_length=60),
        valid_from=v.required_date(valid_from, "valid_from", not_future=False),
        valid_to=v.date(valid_to, "valid_to", not_future=False), unit=v.text(unit, "unit", required=True, max_length=20),
        instrument=v.text(instrument, "instrument", required=True), article=v.text(article, "article", max_length=100),
        confidence=v.choice(confidence, "confidence", Confidence.values), entered_by=acting_user,
        amount=_amount(amount),
    )
    if row.valid_to and row.valid_to < row.valid_from:  # type: ignore[operator]
        raise HavenError(_("The end date is before the start date."), field="valid_to")
    if ParameterValue.objects.filter(parameter=row.parameter, scope=row.scope, valid_from=row.valid_from).exists():
        raise HavenError(_("A value for this parameter, scope and date already exists: add one with a later date."),
                         field="valid_from")
    try:
        store.with_values([_as_engine_value(row)])
    except ParameterError as exc:
        raise HavenError(_("The engine refuses this value: %(why)s") % {"why": exc}, field="parameter") from exc
    return row


def _as_engine_value(row: ParameterValue) -> dict[str, Any]:
    return {
        "code": row.parameter, "value": row.amount, "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else None, "scope": row.scope, "unit": row.unit,
        "citation": {"instrument": row.instrument, "article": row.article or None}, "confidence": row.confidence,
    }


@transaction.atomic
def parameter_value_add(*, acting_user: Any, channel: str = "web", **values: Any) -> ParameterValue:
    """An administrator enters an official dated figure with its citation; the engine uses it from then on."""
    row = parameter_value_check(acting_user=acting_user, **values)
    row.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, object_type="parameter_value", object_id=row.pk,
                 changes={"parameter": row.parameter, "scope": row.scope, "valid_from": row.valid_from.isoformat(),
                          "amount": row.amount, "instrument": row.instrument}, channel=channel)
    return row


def _amount(raw: Any) -> int:
    if isinstance(raw, bool):
        raise HavenError(_("Enter the amount in đồng, digits only."), field="amount")
    try:
        amount = int(str(raw).replace(",", "").replace(".", "").strip())
    except (TypeError, ValueError):
        raise HavenError(_("Enter the amount in đồng, digits only."), field="amount") from None
    if not 0 <= amount <= 10**12:
        raise HavenError(_("Enter the amount in đồng, digits only."), field="amount")
    return amount
