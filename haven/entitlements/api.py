"""API: a case's entitlements and the facts they depend on, support applications, the rights statement;
the dated parameters; and the engine on anonymous profiles.

Case-scoped endpoints load the case through `access_case`, so a missing case and a case the user may not
see give the same 404; applications are looked up inside the case already accessed. The services
compute, validate, change and audit; these functions only translate between HTTP and them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from haven.accounts.models import Role
from haven.cases.selectors import CaseAccess, Need, access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_errors import validation_error_body
from haven.core.api_types import ERRORS, CasePath, ErrorOut, IdPath, reply, text
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.entitlements.api_schemas import (
    ApplicationIn,
    ApplicationOut,
    CaseEntitlementsOut,
    DecisionIn,
    EvaluateIn,
    EvaluationOut,
    FactsOut,
    FactsPatch,
    OverdueStepOut,
    ParameterValueIn,
    ParameterValueOut,
    ProfileIn,
    StepCompleteIn,
)
from haven.entitlements.engine import evaluate_many
from haven.entitlements.engine.parameters import RUNTIME_LAYER, ParameterValue
from haven.entitlements.engine.profile import Profile, ProfileError, check_against_date, parse_profile
from haven.entitlements.engine.regimes import ENGINE_FROM
from haven.entitlements.models import ApplicationStatus, ApplicationStep, EntitlementFacts, SupportApplication
from haven.entitlements.services import (
    FACT_FIELDS,
    application_create,
    application_decide,
    application_step_complete,
    case_entitlements,
    facts_for,
    facts_update,
    overdue_steps,
    parameter_store,
    parameter_value_add,
)
from haven.entitlements.statement import statement_pdf

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
# Evaluating anonymous profiles is for budgets and reports: the roles that see cases or statistics.
EVALUATORS = (Role.CASEWORKER, Role.SUPERVISOR, Role.STATISTICIAN)
PDF_RESPONSE = {"responses": {200: {
    "description": "The rights statement (one or two pages). Its generation is audited.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}}}


_user = api_user


def _evaluation_date(day: dt.date, field: str) -> dt.date:
    # The engine encodes the law from Decree 09/2013 on; it cannot say anything about earlier dates.
    if day < ENGINE_FROM:
        raise HavenError(_("The date is too far in the past."), field=field)
    return day


# --- Entitlements and facts ------------------------------------------------------------------------


class OnQuery(Schema):
    on: dt.date | None = pydantic.Field(None, description="Evaluation date, from 2013-04-15; default today")


@router.get(
    "/cases/{code}/entitlements", response={200: CaseEntitlementsOut, ERRORS: ErrorOut},
    summary="What the person is entitled to on a date, how much, by when, and why",
)
def case_entitlements_detail(request: HttpRequest, code: CasePath, query: Query[OnQuery]) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    day = _evaluation_date(query.on or timezone.localdate(), "on")
    return {**case_entitlements(access, on=day, channel=CHANNEL), "case": access.case.code, "on": day}


def facts_out(facts: EntitlementFacts) -> dict[str, Any]:
    return {
        **{name: getattr(facts, name) for name in (*FACT_FIELDS, "located", "shelter_from", "shelter_to")},
        "updated_at": facts.updated_at, "updated_by": facts.updated_by.username if facts.updated_by else None,
    }


@router.get(
    "/cases/{code}/entitlements/facts", response={200: FactsOut, ERRORS: ErrorOut},
    summary="The circumstances that decide eligibility",
)
def facts_detail(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    return facts_out(facts_for(access.case))


@router.patch(
    "/cases/{code}/entitlements/facts", response={200: FactsOut, ERRORS: ErrorOut},
    summary="Record the circumstances that decide eligibility (owning agency; audited)",
)
def facts_change(request: HttpRequest, code: CasePath, payload: FactsPatch) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    if not changes:
        return facts_out(facts_for(access.case))
    return facts_out(facts_update(access=access, changes=changes, channel=CHANNEL))


# --- Support applications --------------------------------------------------------------------------


def step_out(step: ApplicationStep, application: SupportApplication, *, own: bool, today: dt.date) -> dict[str, Any]:
    return {
        "order": step.order, "code": step.code, "body": {"vi": step.body_vi, "en": step.body_en},
        "working_days": step.working_days, "due_on": step.due_on, "completed_on": step.completed_on,
        "confidence": step.confidence, "citation": step.citation,
        "overdue": bool(application.status == ApplicationStatus.IN_PROGRESS and step.completed_on is None
                        and step.due_on and step.due_on < today),
        # Free text may name people: only the owning agency reads it.
        "note": step.note if own else None,
    }


def application_out(application: SupportApplication, *, own: bool) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": application.pk, "item": application.item, "received_on": application.received_on,
        "regime": application.regime, "status": application.status, "decided_on": application.decided_on,
        "amount_vnd": application.amount_vnd, "decision_note": application.decision_note if own else None,
        "created_at": application.created_at,
        "steps": [step_out(s, application, own=own, today=today) for s in application.steps.all()],
    }


def _applications(access: CaseAccess) -> Any:
    return SupportApplication.objects.filter(case_id=access.case.pk).prefetch_related("steps")


def _application_state(access: CaseAccess, application_id: int) -> dict[str, Any]:
    application = _applications(access).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application_out(application, own=access.can_edit)


@router.get(
    "/cases/{code}/applications", response={200: list[ApplicationOut], ERRORS: ErrorOut},
    summary="Support applications with their processing steps and due dates",
)
def application_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    return [application_out(a, own=access.can_edit) for a in _applications(access)]


@router.post(
    "/cases/{code}/applications", response={201: ApplicationOut, ERRORS: ErrorOut},
    summary="Open an application; its steps are planned in working days (owning agency; audited)",
)
def application_new(request: HttpRequest, code: CasePath, payload: ApplicationIn) -> Any:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    received_on = _evaluation_date(payload.received_on, "received_on")
    application = application_create(access=access, item=payload.item.value, received_on=received_on,
                                     channel=CHANNEL)
    return reply(201, _application_state(access, application.pk))


@router.post(
    "/cases/{code}/applications/{application_id}/steps/complete", response={200: ApplicationOut, ERRORS: ErrorOut},
    summary="Mark the next open step done; the following step's due date counts from it (owning agency)",
)
def application_step_done(request: HttpRequest, code: CasePath, application_id: IdPath,
                          payload: StepCompleteIn) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    application_step_complete(access=access, application_id=application_id, completed_on=payload.completed_on,
                              note=payload.note or "", channel=CHANNEL)
    return _application_state(access, application_id)


@router.post(
    "/cases/{code}/applications/{application_id}/decision", response={200: ApplicationOut, ERRORS: ErrorOut},
    summary="Record the decision; a refusal must say why (owning agency; audited)",
)
def application_decision(request: HttpRequest, code: CasePath, application_id: IdPath,
                         payload: DecisionIn) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    application_decide(access=access, application_id=application_id, decision=payload.decision.value,
                       decided_on=payload.decided_on, note=payload.note or "", amount_vnd=payload.amount_vnd,
                       channel=CHANNEL)
    return _application_state(access, application_id)


@router.get(
    "/applications/overdue", response={200: list[OverdueStepOut], ERRORS: ErrorOut},
    summary="Processing steps past their due date in my agency's cases (supervisors)",
)
def applications_overdue(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied()
    return [
        {"case": step.application.case.code, "application_id": step.application_id, "item": step.application.item,
         "order": step.order, "code": step.code, "body": {"vi": step.body_vi, "en": step.body_en},
         "due_on": step.due_on}
        for step in overdue_steps(user).order_by("due_on", "pk")
    ]


# --- The rights statement --------------------------------------------------------------------------


class StatementQuery(Schema):
    lang: str | None = pydantic.Field(None, pattern="^(vi|en)$",
                                      description="vi or en; default the request's language")


@router.get(
    "/cases/{code}/rights-statement.pdf", response={ERRORS: ErrorOut}, openapi_extra=PDF_RESPONSE,
    summary="The rights statement for the person, as a PDF (audited)",
)
def rights_statement(request: HttpRequest, code: CasePath, query: Query[StatementQuery]) -> HttpResponse:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    language = query.lang or ("en" if (translation.get_language() or "").startswith("en") else "vi")
    response = HttpResponse(statement_pdf(access, language=language, channel=CHANNEL), content_type="application/pdf")
    # The case code names the file, never the person: file names end up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="rights-statement-{access.case.code}-{language}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Parameters ------------------------------------------------------------------------------------


class ParameterQuery(Schema):
    code: text(80) | None = pydantic.Field(None, description="One parameter, e.g. food.daily_rate")  # type: ignore[valid-type]


def value_out(value: ParameterValue) -> dict[str, Any]:
    return {
        "code": value.code, "scope": value.scope, "valid_from": value.valid_from, "valid_to": value.valid_to,
        "value": value.value, "unit": value.unit, "citation": value.citation.to_dict(),
        "confidence": value.confidence, "note": value.note,
        "source": "database" if value.layer == RUNTIME_LAYER else "file",
    }


@router.get(
    "/parameters", response={200: list[ParameterValueOut], ERRORS: ErrorOut},
    summary="Dated, cited parameter values: shipped with Haven and entered by administrators",
)
def parameter_list(request: HttpRequest, query: Query[ParameterQuery]) -> list[dict[str, Any]]:
    store = parameter_store()
    if query.code is not None and query.code not in store.definitions:
        raise HavenError(_("Unknown parameter."), field="code")
    codes = [query.code] if query.code is not None else store.codes()
    return [value_out(value) for code in codes for value in store.history(code)]


@router.post(
    "/parameters", response={201: ParameterValueOut, ERRORS: ErrorOut},
    summary="Enter an official dated figure with its citation (agency and system administrators; audited)",
)
def parameter_new(request: HttpRequest, payload: ParameterValueIn) -> Any:
    row = parameter_value_add(acting_user=_user(request), channel=CHANNEL, **payload.model_dump(mode="json"))
    return reply(201, {
        "code": row.parameter, "scope": row.scope, "valid_from": row.valid_from, "valid_to": row.valid_to,
        "value": row.amount, "unit": row.unit, "citation": {"instrument": row.instrument, "article": row.article or None},
        "confidence": row.confidence, "note": "", "source": "database",
    })


# --- Anonymous profiles ----------------------------------------------------------------------------


class ProfileInvalid(HavenError):
    """A profile the engine cannot take; the field names the profile by its place in the list."""

    status_code = 422

    def __init__(self, index: int, name: str | None, problem: str) -> None:
        field = f"profiles[{index}]" + (f".{name}" if name else "")
        super().__init__(_("%(field)s: %(message)s") % {"field": field, "message": problem}, field=field)


def _schema_field(loc: tuple[Any, ...]) -> str | None:
    if not loc:
        return None
    if loc[0] == "shelter_stay" and len(loc) > 1 and loc[1] in ("from", "to"):
        return f"shelter_stay.{loc[1]}"
    return str(loc[0])


def _engine_problem(exc: ProfileError, pid: Any) -> tuple[str | None, str]:
    # The engine says "profile 'x': field: problem"; the API names the profile by its index instead.
    message = str(exc).removeprefix(f"profile {pid!r}: ")
    name, sep, problem = message.partition(": ")
    if sep and re.fullmatch(r"[a-z_.]+", name):
        return name, problem
    return None, message


def _profile(index: int, raw: Any, on: dt.date) -> Profile:
    try:
        # Through JSON, strictly, as the command line reads it: "yes" is not true and 1 is not a date.
        checked = ProfileIn.model_validate_json(json.dumps(raw))
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        problem = validation_error_body([{**error, "loc": ()}])["detail"]
        raise ProfileInvalid(index, _schema_field(tuple(error["loc"])), problem) from None
    data = checked.model_dump(mode="json", by_alias=True, exclude_unset=True)
    try:
        profile = parse_profile(data)
        check_against_date(profile, on)
    except ProfileError as exc:
        raise ProfileInvalid(index, *_engine_problem(exc, data["id"])) from None
    return profile


@router.post(
    "/entitlements/evaluate", response={200: EvaluationOut, ERRORS: ErrorOut},
    summary="The rules on anonymous profiles, for budgets and reports (nothing is stored)",
)
def entitlements_evaluate(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    """At most 1,000 profiles per request. A bad profile refuses the whole request, naming it by index."""
    if _user(request).role not in EVALUATORS:
        raise PermissionDenied()
    on = _evaluation_date(payload.on, "on")
    profiles = [_profile(index, raw, on) for index, raw in enumerate(payload.profiles)]
    first_index: dict[Any, int] = {}
    for index, profile in enumerate(profiles):
        if profile.id in first_index:
            raise ProfileInvalid(index, "id", _("The same id as profiles[%(n)d].") % {"n": first_index[profile.id]})
        first_index[profile.id] = index
    return {"on": on, "results": evaluate_many(profiles, on, store=parameter_store())}
