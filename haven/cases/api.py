"""API: cases, identity, workflow, assignment, sign-offs and break-glass access.

Every case-scoped endpoint loads the case through `access_case`, so a missing case and a case the
user may not see give the same 404. Endpoints are thin: the services validate, change and audit.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Body, Query, Router

from haven.accounts.api import agency_out
from haven.accounts.models import Role
from haven.cases.api_schemas import (
    Action,
    AssignIn,
    BreakGlassIn,
    BreakGlassOut,
    CaseListOut,
    CaseOut,
    CloseIn,
    DuplicateOut,
    IdentifyIn,
    IdentityChangedOut,
    IdentityOut,
    IdentityPatch,
    NotVictimIn,
    RegistrationIn,
    ReviewIn,
    SearchFields,
    SearchIn,
    SignIn,
    SignoffOut,
    StartReintegrationIn,
    StartSupportIn,
    StartVerificationIn,
    TransitionIn,
)
from haven.cases.models import BreakGlass, Category, Signoff, Status
from haven.cases.selectors import (
    CaseAccess,
    Need,
    access_case,
    break_glass_pending_review,
    case_list_window,
    names_for_cases,
    read_identity,
)
from haven.cases.services import (
    TRANSITIONS,
    DuplicateWarning,
    Registration,
    break_glass_open,
    break_glass_review,
    case_assign,
    case_close,
    case_identify,
    case_mark_not_victim,
    case_register,
    case_start_reintegration,
    case_start_support,
    case_start_verification,
    identity_update,
    signoff_sign,
    signoffs_for_agency,
)
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, CasePath, ErrorOut, IdPath, reply
from haven.core.errors import PermissionDenied

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)
MAX_DUPLICATES_SHOWN = 20


_user = api_user


def _language() -> str:
    return translation.get_language() or ""


def _require_case_role(user: Any) -> None:
    if user.role not in CASE_ROLES or not user.agency_id:
        raise PermissionDenied()


# --- Reading ---------------------------------------------------------------------------------------


def _search(request: HttpRequest, search: SearchFields) -> dict[str, Any]:
    user = _user(request)
    _require_case_role(user)
    filters = {
        name: (value.isoformat() if hasattr(value, "isoformat") else str(value))
        for name in ("status", "category", "sex", "received_from", "received_to")
        if (value := getattr(search, name)) is not None
    }
    window = case_list_window(user, search.q, filters, offset=search.offset, limit=search.limit)
    page = window.cases
    names = names_for_cases(user, page, channel=CHANNEL) if search.names else {}
    return {
        "total": window.total, "total_cap": window.cap, "has_more": window.has_more,
        "limit": search.limit, "offset": search.offset,
        "items": [
            {
                "code": case.code, "status": case.status, "category": case.category,
                "received_on": case.received_on, "sex": case.person.sex, "age_at_reception": case.age_at_reception,
                "owner_agency": case.owner_agency.display_name(_language()),
                "assigned_worker": case.assigned_worker.username if case.assigned_worker else None,
                "name": names.get(case.pk),
            }
            for case in page
        ],
    }


@router.get("/cases", response={200: CaseListOut, ERRORS: ErrorOut}, summary="Search cases")
def case_list(request: HttpRequest, search: Query[SearchFields]) -> dict[str, Any]:
    """Cases you may open. `q` matches a case code, an ID number or whole words of a name."""
    return _search(request, search)


@router.post("/cases/search", response={200: CaseListOut, ERRORS: ErrorOut}, summary="Search cases (body)")
def case_list_post(request: HttpRequest, search: SearchIn) -> dict[str, Any]:
    """As GET /cases, with the search in the body so it stays out of URLs and server logs."""
    return _search(request, search)


def _actions(access: CaseAccess) -> list[Action]:
    case, actions = access.case, []
    if access.identity_fields:
        actions.append(Action.VIEW_IDENTITY)
    if access.can_edit:
        following = TRANSITIONS[case.status]
        if Status.VERIFICATION in following and case.category == Category.UNDER_IDENTIFICATION:
            actions.append(Action.START_VERIFICATION)
        if Status.IDENTIFIED in following:
            actions.append(Action.IDENTIFY)
        if Status.NOT_VICTIM in following:
            actions.append(Action.NOT_VICTIM)
        if Status.SUPPORT in following and not (
            case.category == Category.UNDER_IDENTIFICATION and case.status == Status.RECEPTION
        ):
            actions.append(Action.START_SUPPORT)
        if Status.REINTEGRATION in following:
            actions.append(Action.START_REINTEGRATION)
        if Status.CLOSED in following:
            actions.append(Action.CLOSE)
        actions += [Action.EDIT_IDENTITY, Action.RECORD_CONSENT]
    if access.is_supervisor:
        actions += [Action.ASSIGN, Action.VIEW_VIEWERS]
    return actions


def case_out(access: CaseAccess) -> dict[str, Any]:
    case, person = access.case, access.case.person
    # Free-text reasons may name people: only the owning agency's workers read them.
    own = access.can_edit
    return {
        "code": case.code, "status": case.status, "category": case.category, "received_on": case.received_on,
        "reception_place": case.reception_place,
        "reception_unit": case.reception_unit.code if case.reception_unit else None,
        "return_mode": case.return_mode, "identified_at": case.identified_at or None,
        "age_at_reception": case.age_at_reception, "exploitation_types": case.exploitation_types,
        "destination_country": case.destination_country or None, "means_of_control": case.means_of_control,
        "accompanies": case.accompanies.code if case.accompanies else None,
        "identified_on": case.identified_on, "identification_authority": case.identification_authority,
        "identification_document": case.identification_document,
        "not_victim_reason": case.not_victim_reason if own else None,
        "closed_on": case.closed_on, "closure_reason": case.closure_reason if own else None,
        "owner_agency": agency_out(case.owner_agency), "receiving_agency": agency_out(case.receiving_agency),
        "assigned_worker": case.assigned_worker.username if case.assigned_worker else None,
        "person": {
            "sex": person.sex, "birth_year": person.birth_year, "ethnicity": person.ethnicity,
            "nationality": person.nationality,
            "home_province": person.home_province.code if person.home_province else None,
            "home_commune": person.home_commune.code if person.home_commune else None,
            "languages": person.languages,
        },
        "access": {
            "relationship": access.relationship, "identity_fields": sorted(access.identity_fields),
            "actions": _actions(access),
        },
        "created_at": case.created_at, "updated_at": case.updated_at,
    }


@router.get("/cases/{code}", response={200: CaseOut, ERRORS: ErrorOut}, summary="A case (no identity fields)")
def case_detail(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    return case_out(access_case(_user(request), code=code, need=Need.VIEW))


@router.get(
    "/cases/{code}/identity", response={200: IdentityOut, ERRORS: ErrorOut}, exclude_unset=True,
    summary="Identity fields you may see (audited)",
)
def identity_detail(request: HttpRequest, code: CasePath) -> dict[str, str]:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    return read_identity(access, channel=CHANNEL)


# --- Changing ---------------------------------------------------------------------------------------


def _none_to_blank(data: dict[str, Any], keep_none: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: ("" if v is None and k not in keep_none else v) for k, v in data.items()}


@router.post(
    "/cases", response={201: CaseOut, 409: DuplicateOut, ERRORS: ErrorOut}, summary="Register a returned person",
)
def case_create(request: HttpRequest, payload: RegistrationIn) -> Any:
    """Opens a case assigned to you. A possible duplicate answers 409 unless `confirm_duplicate` is true."""
    user = _user(request)
    data = _none_to_blank(
        payload.model_dump(mode="json", exclude={"confirm_duplicate"}), keep_none=("date_of_birth", "birth_year")
    )
    try:
        case = case_register(
            acting_user=user, data=Registration(**data), confirm_duplicate=payload.confirm_duplicate,
            channel=CHANNEL,
        )
    except DuplicateWarning as warning:
        # Only what the worker needs to contact the other agency: case codes and agency names.
        return reply(409, {
            "detail": str(warning.message), "code": warning.code, "field": warning.field,
            "matches": [
                {"code": c.code, "agency": c.owner_agency.display_name(_language())}
                for c in warning.matches[:MAX_DUPLICATES_SHOWN]
            ],
        })
    return reply(201, case_out(access_case(user, case_id=case.pk)))


@router.patch(
    "/cases/{code}/identity", response={200: IdentityChangedOut, ERRORS: ErrorOut},
    summary="Change identity fields (audited: names of fields, never values)",
)
def identity_change(request: HttpRequest, code: CasePath, payload: IdentityPatch) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    changes = _none_to_blank(payload.model_dump(mode="json", exclude_unset=True))
    return {"changed": identity_update(access=access, changes=changes, channel=CHANNEL)}


@router.post(
    "/cases/{code}/transitions", response={200: CaseOut, ERRORS: ErrorOut}, summary="Move the case on",
)
def case_transition(request: HttpRequest, code: CasePath, payload: Body[TransitionIn]) -> dict[str, Any]:  # type: ignore[type-arg]
    user = _user(request)
    access = access_case(user, code=code, need=Need.EDIT)
    if isinstance(payload, StartVerificationIn):
        case_start_verification(access=access, channel=CHANNEL)
    elif isinstance(payload, IdentifyIn):
        case_identify(access=access, identified_on=payload.identified_on, authority=payload.authority,
                      document=payload.document, channel=CHANNEL)
    elif isinstance(payload, NotVictimIn):
        case_mark_not_victim(access=access, reason=payload.reason, channel=CHANNEL)
    elif isinstance(payload, StartSupportIn):
        case_start_support(access=access, channel=CHANNEL)
    elif isinstance(payload, StartReintegrationIn):
        case_start_reintegration(access=access, channel=CHANNEL)
    elif isinstance(payload, CloseIn):
        case_close(access=access, reason=payload.reason, closed_on=payload.closed_on, channel=CHANNEL)
    return case_out(access_case(user, case_id=access.case.pk))


@router.post(
    "/cases/{code}/assign", response={200: CaseOut, ERRORS: ErrorOut},
    summary="Assign the case to a worker (supervisors of the owning agency)",
)
def case_assign_worker(request: HttpRequest, code: CasePath, payload: AssignIn) -> dict[str, Any]:
    user = _user(request)
    access = access_case(user, code=code, need=Need.SUPERVISE)
    case_assign(access=access, worker_id=payload.worker_id, channel=CHANNEL)
    return case_out(access_case(user, case_id=access.case.pk))


# --- Sign-offs --------------------------------------------------------------------------------------


def signoff_out(signoff: Signoff, *, show_note: bool) -> dict[str, Any]:
    return {
        "id": signoff.pk, "case": signoff.case.code, "agency_kind": signoff.agency_kind, "due_on": signoff.due_on,
        "decision": signoff.decision, "overdue": signoff.is_overdue(),
        "agency": signoff.agency.display_name(_language()) if signoff.agency else None,
        "signed_by": signoff.signed_by.username if signoff.signed_by else None,
        "signed_at": signoff.signed_at, "note": signoff.note if show_note else None,
    }


@router.get(
    "/cases/{code}/signoffs", response={200: list[SignoffOut], ERRORS: ErrorOut},
    summary="Who has signed the identification, and who is overdue",
)
def case_signoffs(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code, need=Need.VIEW)
    signoffs = Signoff.objects.filter(case_id=access.case.pk).select_related("case", "agency", "signed_by")
    return [signoff_out(s, show_note=access.can_edit) for s in signoffs.order_by("due_on", "agency_kind")]


@router.get(
    "/signoffs", response={200: list[SignoffOut], ERRORS: ErrorOut},
    summary="Sign-offs waiting for my agency (supervisors)",
)
def signoff_inbox(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied()
    signoffs = signoffs_for_agency(user).select_related("case", "agency", "signed_by")
    return [signoff_out(s, show_note=True) for s in signoffs.order_by("due_on", "pk")]


@router.post(
    "/signoffs/{signoff_id}", response={200: SignoffOut, ERRORS: ErrorOut},
    summary="Sign an identification: approve or object (supervisors of the agency kind asked)",
)
def signoff_decide(request: HttpRequest, signoff_id: IdPath, payload: SignIn) -> dict[str, Any]:
    signoff = signoff_sign(acting_user=_user(request), signoff_id=signoff_id, decision=payload.decision.value,
                           note=payload.note, channel=CHANNEL)
    return signoff_out(signoff, show_note=True)


# --- Break glass ------------------------------------------------------------------------------------


def break_glass_out(grant: BreakGlass) -> dict[str, Any]:
    return {
        "id": grant.pk, "case": grant.case.code, "user": grant.user.username, "reason": grant.reason,
        "granted_at": grant.granted_at, "expires_at": grant.expires_at, "reviewed_at": grant.reviewed_at,
    }


@router.post(
    "/break-glass", response={201: BreakGlassOut, ERRORS: ErrorOut},
    summary="Emergency access to a case, with a written reason (time-limited, reviewed)",
)
def break_glass_new(request: HttpRequest, payload: BreakGlassIn) -> Any:
    grant = break_glass_open(acting_user=_user(request), code=payload.code, reason=payload.reason, channel=CHANNEL)
    return reply(201, break_glass_out(grant))


@router.get(
    "/break-glass", response={200: list[BreakGlassOut], ERRORS: ErrorOut},
    summary="Emergency accesses waiting for my review (supervisors)",
)
def break_glass_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied()
    return [break_glass_out(g) for g in break_glass_pending_review(user)]


@router.post(
    "/break-glass/{grant_id}/review", response={200: BreakGlassOut, ERRORS: ErrorOut},
    summary="Mark an emergency access as reviewed (supervisors)",
)
def break_glass_reviewed(request: HttpRequest, grant_id: IdPath, payload: ReviewIn) -> dict[str, Any]:
    grant = break_glass_review(acting_user=_user(request), grant_id=grant_id, note=payload.note, channel=CHANNEL)
    return break_glass_out(grant)

