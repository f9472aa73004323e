"""Reading protected case data. Every read goes through here; missing and forbidden look the same."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from haven.accounts.models import IdentityField, Role, SharingProfile
from haven.audit.models import AuditAction
from haven.audit.services import audit_record, audit_record_many
from haven.cases.models import BreakGlass, Case, NameToken, PersonIdentity
from haven.consent.models import ConsentRecord, Decision, Purpose
from haven.core.errors import NotFound
from haven.referrals.models import Referral, ReferralStatus

ALL_IDENTITY_FIELDS = frozenset(IdentityField.values)


class Need(StrEnum):
    VIEW = "view"  # non-identifying case data
    EDIT = "edit"  # change the case: the owning agency's assigned worker or supervisor
    SUPERVISE = "supervise"  # supervisor of the owning agency


class Relationship(StrEnum):
    ASSIGNED = "assigned"
    SUPERVISOR = "supervisor"
    REFERRAL = "referral"
    BREAK_GLASS = "break_glass"
    OPERATOR = "operator"  # a server operator at the command line, read-only


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    user: Any
    relationship: Relationship
    identity_fields: frozenset[str]

    @property
    def can_edit(self) -> bool:
        return self.relationship in (Relationship.ASSIGNED, Relationship.SUPERVISOR)

    @property
    def can_serve(self) -> bool:
        """Record services, stays and payments: the owning agency, or an agency working the case on an accepted referral."""
        return self.relationship in (Relationship.ASSIGNED, Relationship.SUPERVISOR, Relationship.REFERRAL)

    @property
    def is_supervisor(self) -> bool:
        return self.relationship == Relationship.SUPERVISOR


def _latest_sharing_decision(agency_kind: str) -> Subquery:
    """The person's latest sharing decision for this agency kind, as a column of the case query."""
    return Subquery(
        ConsentRecord.objects.filter(person_id=OuterRef("person_id"), purpose=Purpose.SHARING, agency_kind=agency_kind)
        .order_by("-recorded_at", "-id").values("decision")[:1]
    )


def _case_roles(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.agency_id
        and user.role in (Role.CASEWORKER, Role.SUPERVISOR)
    )


def _own(user: Any) -> Q:
    """The user's own cases: the agency's caseload for a supervisor, the assigned ones for a caseworker."""
    own = Q(owner_agency_id=user.agency_id)
    if user.role == Role.CASEWORKER:
        own &= Q(assigned_worker_id=user.pk)
    return own


def _referred_with_consent(user: Any) -> QuerySet[Case]:
    """Cases referred to the user's agency and accepted, where the person's latest sharing decision for
    the agency's kind is to share."""
    return (
        Case.objects.filter(pk__in=Referral.objects.filter(to_agency_id=user.agency_id, status=ReferralStatus.ACCEPTED)
                            .values("case_id"))
        .annotate(sharing_decision=_latest_sharing_decision(user.agency.kind))
        .filter(sharing_decision=Decision.GIVEN).order_by()
    )


def _broken_glass(user: Any) -> QuerySet[Any]:
    """Ids of the cases the user holds a live break-glass grant on."""
    return BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).order_by().values("case_id")


def _other_ways_in(user: Any) -> QuerySet[Any]:
    """Ids of the cases open to the user other than their own: accepted referrals to the agency with the
    person's sharing consent, and live break-glass grants (as a subquery)."""
    return _referred_with_consent(user).values("pk").union(_broken_glass(user))


def _other_keys(user: Any, limit: int) -> list[tuple[Any, int]]:
    """The same cases as `_other_ways_in`, as (received_on, id) in one query, at most `limit` of them."""
    glass = Case.objects.filter(pk__in=_broken_glass(user)).order_by().values_list("received_on", "pk")
    return list(_referred_with_consent(user).values_list("received_on", "pk").union(glass)[:limit])


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases this user may open at all. Statisticians, auditors and administrators: none."""
    if not _case_roles(user):
        return Case.objects.none()
    # The other ways in are few rows: one small subquery (computed once, hashed), so that the planner can
    # still walk an index in list order and stop at a page, instead of testing EXISTS on every case.
    return Case.objects.filter(_own(user) | Q(pk__in=_other_ways_in(user)))


def profile_fields(agency_kind: str) -> frozenset[str]:
    profile = SharingProfile.objects.filter(agency_kind=agency_kind).first()
    return frozenset(profile.fields) & ALL_IDENTITY_FIELDS if profile else frozenset()


def _latest_sharing_decisions(person_ids: set[int], agency_kind: str) -> dict[int, str]:
    decisions: dict[int, str] = {}
    for person_id, decision in (
        ConsentRecord.objects.filter(person_id__in=person_ids, purpose=Purpose.SHARING, agency_kind=agency_kind)
        .order_by("person_id", "-recorded_at", "-id").values_list("person_id", "decision")
    ):
        decisions.setdefault(person_id, decision)
    return decisions


def _relationships(user: Any, cases: list[Case]) -> dict[int, tuple[Relationship, frozenset[str]]]:
    """The one place that decides, for a batch of cases, how the user relates to each and which identity
    fields that shows. Cases the user may not open are absent. A fixed number of queries for any batch."""
    found: dict[int, tuple[Relationship, frozenset[str]]] = {}
    rest = []
    for case in cases:
        if case.owner_agency_id == user.agency_id and user.role == Role.SUPERVISOR:
            found[case.pk] = (Relationship.SUPERVISOR, ALL_IDENTITY_FIELDS)
        elif case.owner_agency_id == user.agency_id and case.assigned_worker_id == user.pk:
            found[case.pk] = (Relationship.ASSIGNED, ALL_IDENTITY_FIELDS)
        else:
            rest.append(case)
    if not rest:
        return found
    ids = [case.pk for case in rest]
    shared: dict[int, set[str]] = {}
    for case_id, fields in Referral.objects.filter(
        case_id__in=ids, to_agency_id=user.agency_id, status=ReferralStatus.ACCEPTED
    ).values_list("case_id", "fields_shared"):
        shared.setdefault(case_id, set()).update(fields)
    consent = _latest_sharing_decisions({c.person_id for c in rest if c.pk in shared}, user.agency.kind)
    glass = set(BreakGlass.objects.filter(case_id__in=ids, user_id=user.pk, expires_at__gt=timezone.now())
                .values_list("case_id", flat=True))
    allowed = profile_fields(user.agency.kind) if shared or glass else frozenset()
    for case in rest:
        if case.pk in shared and consent.get(case.person_id) == Decision.GIVEN:
            found[case.pk] = (Relationship.REFERRAL, allowed & frozenset(shared[case.pk]))
        elif case.pk in glass:
            found[case.pk] = (Relationship.BREAK_GLASS, allowed - {IdentityField.NOTES})
    return found


def access_case(user: Any, *, case_id: int | None = None, code: str | None = None, need: Need = Need.VIEW) -> CaseAccess:
    """Load a case for this user, or raise NotFound whether it is missing or forbidden."""
    if not _case_roles(user) or (case_id is None and not code):
        raise NotFound()
    lookup = {"pk": case_id} if case_id is not None else {"code": str(code).strip().upper()}
    try:
        case = Case.objects.select_related("person", "owner_agency", "assigned_worker").get(**lookup)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    found = _relationships(user, [case]).get(case.pk)
    if found is None:
        raise NotFound()
    access = CaseAccess(case, user, *found)
    if need == Need.EDIT and not access.can_edit:
        raise NotFound()
    if need == Need.SUPERVISE and not access.is_supervisor:
        raise NotFound()
    return access


def access_case_as_operator(code: str) -> CaseAccess:
    """For the command line without --as: the operator already holds the database settings and the keys.
    Read-only; of the identity fields only the birth date (to compute age); every read is audited."""
    case = Case.objects.select_related("person", "owner_agency").filter(code=str(code).strip().upper()).first()
    if case is None:
        raise NotFound()
    return CaseAccess(case, None, Relationship.OPERATOR, frozenset({IdentityField.DATE_OF_BIRTH}))


def read_identity(access: CaseAccess, *, fields: frozenset[str] | None = None, channel: str = "web") -> dict[str, str]:
    """Decrypt the identity fields this user may see, and log which ones were read."""
    wanted = access.identity_fields if fields is None else access.identity_fields & fields
    if not wanted:
        return {}
    identity = PersonIdentity.objects.get(person_id=access.case.person_id)
    values = {name: getattr(identity, name) or "" for name in sorted(wanted)}
    audit_record(
        actor=access.user, action=AuditAction.VIEW_IDENTITY, object_type="person",
        object_id=access.case.person_id, case_id=access.case.pk, fields=wanted, channel=channel,
        reason=access.relationship.value,
    )
    return values


def names_for_cases(user: Any, cases: list[Case], *, channel: str = "web") -> dict[int, str]:
    """Full names for a page of cases, only where the user may see the name; one audit event per case read.
    A fixed number of queries whatever the page size."""
    if not _case_roles(user) or not cases:
        return {}
    relations = _relationships(user, cases)
    readable = [c for c in cases if IdentityField.FULL_NAME in relations.get(c.pk, (None, frozenset()))[1]]
    if not readable:
        return {}
    identities = PersonIdentity.objects.filter(person_id__in=[c.person_id for c in readable]).only(
        "person_id", "full_name")
    by_person = {identity.person_id: identity.full_name for identity in identities}
    audit_record_many([
        {"actor": user, "action": AuditAction.VIEW_IDENTITY, "object_type": "person", "object_id": case.person_id,
         "case_id": case.pk, "fields": [IdentityField.FULL_NAME], "channel": channel,
         "reason": relations[case.pk][0].value}
        for case in readable if case.person_id in by_person
    ])
    return {case.pk: by_person[case.person_id] for case in readable if case.person_id in by_person}


def break_glass_pending_review(user: Any) -> QuerySet[BreakGlass]:
    """Emergency accesses a supervisor should review: to their agency's cases, or by their staff."""
    if user.role != Role.SUPERVISOR or not user.agency_id:
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(
        Q(case__owner_agency_id=user.agency_id) | Q(user__agency_id=user.agency_id), reviewed_at__isnull=True
    ).select_related("case", "user")



def _match_parts(query: str) -> list[Q]:
    """The ways a search text matches a case, each on its own so that each can use its index: the case
    code, the ID number (blind index), every word of the name (per-word blind indexes). No text: all."""
    from haven.core import crypto
    from haven.core.text import name_tokens, normalise_id_number

    query = (query or "").strip()[:200]
    if not query:
        return [Q()]
    # Case codes (HV-26-…) and identity documents (CCCD, passports, foreign papers) all carry digits: words
    # alone are looked up as neither (as a number it cost a name search a join over the list's cases).
    has_digit = any(ch.isdigit() for ch in query)
    parts = [Q(code=query.upper())] if has_digit else []
    id_number = normalise_id_number(query)
    if len(id_number) >= 6 and has_digit:
        parts.append(Q(person__identity__id_number_bidx=crypto.blind_index(id_number, purpose="id_number")))
    tokens = name_tokens(query)
    if tokens:
        # Every word must be one of the person's: one EXISTS per word on nametoken (person, token). Not
        # inside an OR, the planner can start from the rarest word's persons or walk the cases in list
        # order and probe, whichever its statistics say is cheaper.
        parts.append(Q(*[Exists(NameToken.objects.filter(
            person_id=OuterRef("person_id"), token_bidx=crypto.blind_index(token, purpose="name_token")))
            for token in tokens]))
    return parts


def _filter_q(filters: dict[str, str]) -> Q:
    found = Q()
    for name in ("status", "category"):
        if filters.get(name):
            found &= Q(**{name: filters[name]})
    if filters.get("sex"):
        found &= Q(person__sex=filters["sex"])
    if filters.get("received_from"):
        found &= Q(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        found &= Q(received_on__lte=filters["received_to"])
    return found


def case_search(user: Any, query: str = "", **filters: str) -> QuerySet[Case]:
    """Cases visible to the user matching a case code, an ID number or whole words of a name.

    Names are sealed, so words are matched through per-word blind indexes: accents and case do not
    matter ("Dang Thi Ngoc" finds "Đặng Thị Ngọc"), but a word must be whole. One queryset (for the API
    and the command line); the list page reads the same cases through `case_list_page`.
    """
    parts = _match_parts(query)
    matched = parts[0]
    for part in parts[1:]:
        matched |= part
    cases = cases_visible_to(user).filter(matched, _filter_q(filters))
    # No DISTINCT: every join above is to one row (the person, their one identity), so none repeats a case.
    return cases.select_related("person", "owner_agency", "assigned_worker")


# The case list page ----------------------------------------------------------------------------

# Above this many results the page says "more than 1,000" instead of counting them all. Counting a
# list costs one index entry a case; counting a search costs an index probe per word and case, so its
# count stops sooner, at the number of results that can still be sorted by name (views.NAME_SORT_CAP).
LIST_COUNT_CAP = 1000
SEARCH_COUNT_CAP = 200
# Pages beyond this (10,000 cases deep at 25 a page) are not served: narrow the search or sort the other way.
LIST_MAX_PAGE = 400
# Referred and break-glass cases up to this many go to the list's query as ids (an index lookup; under
# the 32,766 parameters SQLite allows and the 65,535 of PostgreSQL).
_OTHERS_AS_IDS = 20_000


@dataclass(frozen=True)
class CasePage:
    """One page of the case list, counted exactly only up to LIST_COUNT_CAP.

    Offers what the templates use of Django's Page: object_list, number, has_next, has_previous,
    next_page_number, previous_page_number; `count` and `num_pages` are None when above the cap.
    """

    object_list: list[Case]
    number: int
    per_page: int
    count: int | None
    has_next: bool
    cap: int = LIST_COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else max(1, -(-self.count // self.per_page))


Branch = QuerySet[Case] | list[tuple[Any, int]]


def _list_branches(user: Any, query: str, filters: dict[str, str]) -> list[Branch]:
    """The visible and matching cases as a few queries that each walk one index in list order.

    The same set as `case_search`, without its ORs: own cases (agency or worker index), the other ways
    in (read once, with their dates: a plain list needs no second query for them), times each way of
    matching. An OR across them would make the database read every candidate before it could sort
    and take a page."""
    if not _case_roles(user):
        return []
    extra = _filter_q(filters)
    matches = _match_parts(query)
    branches: list[Branch] = [Case.objects.filter(_own(user), match, extra) for match in matches]
    others = _other_keys(user, _OTHERS_AS_IDS + 1)
    if len(others) > _OTHERS_AS_IDS:
        way_in = Q(pk__in=_other_ways_in(user))
        return branches + [Case.objects.filter(way_in, match, extra) for match in matches]
    if not others:
        return branches
    if matches == [Q()] and extra == Q():
        return [*branches, others]
    # A search or filter over the other ways in: which of those cases match, unordered (found by their ids),
    # then ordered here with the dates already read. Asked in list order with a LIMIT, PostgreSQL walked the
    # date index over every case testing each against the ids (7,841 referred cases: 340 ms, against 30).
    received = {pk: day for day, pk in others}
    ids = _ids_in(list(received))
    return branches + [[(received[pk], pk) for pk in Case.objects.filter(ids, match, extra)
                        .order_by().values_list("pk", flat=True)] for match in matches]


def _ids_in(ids: list[int]) -> Q | RawSQL:
    """`id IN (ids)` for thousands of ids: on PostgreSQL one array parameter (`= ANY(%s)`). As a Django IN
    list, preparing and quoting 7,841 parameters cost 150 ms of Python a query."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return RawSQL(  # noqa: S611 (constant SQL; the ids are one bound parameter)
        f"{connection.ops.quote_name(Case._meta.db_table)}.{connection.ops.quote_name('id')} = ANY(%s)",
        (ids,), output_field=BooleanField())


@contextmanager
def _serial_plans() -> Iterator[None]:
    """The list's index walks planned without parallel workers or JIT (PostgreSQL; nothing elsewhere).

    A search for a common family name as a supervisor ("tran van": 108,000 name words of "tran" against
    the agency's 6,255 cases) was planned with two parallel workers: 36 ms on three processes, against
    25 ms on one without them. With twenty users on two cores, the workers only take the cores other
    requests are waiting for. In a transaction of its own (SET LOCAL), the setting put back after."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # JIT too: compiling took 17 ms for a 150 ms walk over 7,841 referrals. One round trip each way.
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather'), current_setting('jit'), "
                       "set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)")
        workers, jit, *_ = cursor.fetchone()
        yield
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true), set_config('jit', %s, true)",
                       [workers, jit])


def _first_keys(branches: list[Branch], limit: int, *, oldest_first: bool) -> tuple[list[int], bool]:
    """Ids of the first `limit` cases in list order across the branches, and whether there are more.

    Each branch gives at most `limit` (received_on, id) pairs off its index; the first `limit` of their
    union are among them. Sorted here the way the database sorts (a date, then an integer)."""
    order = ("received_on", "id") if oldest_first else ("-received_on", "-id")
    found: dict[int, tuple[Any, int]] = {}
    more = False
    for branch in branches:
        if isinstance(branch, list):
            rows = sorted(branch, reverse=not oldest_first)[:limit]
            more = more or len(branch) > limit
        else:
            rows = list(branch.order_by(*order).values_list("received_on", "pk")[:limit])
            more = more or len(rows) == limit
        found.update((pk, (received, pk)) for received, pk in rows)
    keys = sorted(found.values(), reverse=not oldest_first)[:limit]
    return [pk for _received, pk in keys], more


# What a list row shows and what deciding the name's visibility needs: no sealed text is loaded (and
# decrypted) for a row that does not show it.
_LIST_COLUMNS = ("code", "category", "status", "received_on", "age_at_reception", "person_id", "owner_agency_id",
                 "assigned_worker_id", "person__sex", "owner_agency__name", "owner_agency__name_en")


def _load(ids: list[int], *, with_worker: bool = False) -> list[Case]:
    related: tuple[str, ...] = ("person", "owner_agency")
    columns: tuple[str, ...] = _LIST_COLUMNS
    if with_worker:  # the API's rows name the assigned worker
        related, columns = (*related, "assigned_worker"), (*columns, "assigned_worker__username")
    by_pk = Case.objects.select_related(*related).only(*columns).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _visible_keys(user: Any, query: str, filters: dict[str, str], limit: int, *, oldest_first: bool = False
                  ) -> tuple[list[int], bool]:
    """Ids of the first `limit` visible and matching cases in list order, and whether there are more."""
    with _serial_plans():
        return _first_keys(_list_branches(user, query, filters), limit, oldest_first=oldest_first)


def _count_cap(query: str, count_cap: int | None) -> int:
    if count_cap is not None:
        return count_cap
    return SEARCH_COUNT_CAP if (query or "").strip() else LIST_COUNT_CAP


def case_list_first(user: Any, query: str, filters: dict[str, str], limit: int) -> list[Case]:
    """The first `limit` cases of the list, newest reception first (for sorting a bounded result by name)."""
    ids, _more = _visible_keys(user, query, filters, limit)
    return _load(ids)


def case_list_page(user: Any, query: str = "", filters: dict[str, str] | None = None, *, oldest_first: bool = False,
                   number: int = 1, per_page: int = 25, count_cap: int | None = None) -> CasePage:
    """One page of the cases visible to the user that match, in reception order, in a few index walks.

    No COUNT over the whole visible set: the ids of the first max(cap + 1, end of the page + 1) cases give
    the exact count when there are no more than that, else "more than the cap" (LIST_COUNT_CAP, or
    SEARCH_COUNT_CAP for a search). A page past the end shows the last one (known exactly then)."""
    cap = _count_cap(query, count_cap)
    number = min(max(1, number), LIST_MAX_PAGE)
    ids, more = _visible_keys(user, query, filters or {}, max(cap + 1, number * per_page + 1),
                              oldest_first=oldest_first)
    count = None if more else len(ids)
    if count is not None:
        number = min(number, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return CasePage(_load(ids[start:start + per_page]), number, per_page, count,
                    has_next=len(ids) > start + per_page, cap=cap)


@dataclass(frozen=True)
class CaseWindow:
    """`limit` cases from `offset` in list order (the API's case list), counted exactly up to `cap`."""

    cases: list[Case]
    total: int | None
    cap: int
    has_more: bool


def case_list_window(user: Any, query: str = "", filters: dict[str, str] | None = None, *, offset: int = 0,
                     limit: int = 25, count_cap: int | None = None) -> CaseWindow:
    """The API's page of cases: the same cases and order as `case_list_page` (and `case_search`), at any
    offset, from the same index walks; `total` is None when there are more than the cap."""
    cap = _count_cap(query, count_cap)
    ids, more = _visible_keys(user, query, filters or {}, max(cap + 1, offset + limit + 1))
    return CaseWindow(_load(ids[offset:offset + limit], with_worker=True), None if more else len(ids), cap,
                      has_more=len(ids) > offset + limit)
