"""Need-to-know: who may open a case, and which identity fields each relationship shows."""

import datetime as dt

import pytest
from django.utils import timezone

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import BreakGlass
from haven.cases.selectors import (
    ALL_IDENTITY_FIELDS,
    Need,
    Relationship,
    access_case,
    break_glass_pending_review,
    case_search,
    cases_visible_to,
    read_identity,
)
from haven.cases.services import break_glass_open
from haven.consent.services import consent_record
from haven.core.errors import HavenError, NotFound
from haven.referrals.models import Referral, ReferralStatus
from tests.factories import access, register

pytestmark = pytest.mark.django_db


def _share(world, *, status=ReferralStatus.ACCEPTED, consent="given", fields=None):
    owner = access(world.owner_caseworker, world.case)
    consent_record(access=owner, purpose="sharing", agency_kind=AgencyKind.SOCIAL_PROTECTION, decision=consent,
                   given_by="person", method="signed_form")
    return Referral.objects.create(
        case=world.case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="shelter",
        fields_shared=fields if fields is not None else sorted(ALL_IDENTITY_FIELDS), status=status,
        due_on=dt.date(2026, 3, 10), sent_by=world.owner_caseworker,
    )


def test_the_assigned_caseworker_sees_every_identity_field(world):
    got = access(world.owner_caseworker, world.case)
    assert got.relationship == Relationship.ASSIGNED and got.identity_fields == ALL_IDENTITY_FIELDS


def test_another_caseworker_of_the_same_agency_sees_nothing_unassigned(world):
    with pytest.raises(NotFound):
        access(world.second_caseworker, world.case)
    assert world.case not in cases_visible_to(world.second_caseworker)


def test_the_supervisor_sees_all_cases_of_the_agency(world):
    other = register(world.second_caseworker, full_name="Lý Thị Sáu")
    visible = set(cases_visible_to(world.supervisor))
    assert {world.case, other} <= visible
    assert access(world.supervisor, other, Need.SUPERVISE).is_supervisor


@pytest.mark.parametrize("persona", ["other_caseworker", "other_supervisor", "statistician", "auditor", "system_admin"])
def test_outsiders_get_the_same_not_found_as_a_missing_case(world, persona):
    user = getattr(world, persona)
    with pytest.raises(NotFound) as forbidden:
        access_case(user, code=world.case.code)
    with pytest.raises(NotFound) as missing:
        access_case(user, code="HV-26-ZZZZZZ")
    assert str(forbidden.value) == str(missing.value)
    assert not cases_visible_to(user).exists()


def test_guessed_and_sequential_ids_find_nothing(world):
    for case_id in range(world.case.pk - 3, world.case.pk + 10):
        if case_id != world.case.pk:
            with pytest.raises(NotFound):
                access_case(world.owner_caseworker, case_id=case_id)
    neighbour = world.case.code[:-1] + ("3" if world.case.code.endswith("2") else "2")  # never the case's own code
    for code in ("HV-26-AAAAAA", neighbour, "' OR 1=1 --", "", "x" * 500):
        with pytest.raises(NotFound):
            access_case(world.owner_caseworker, code=code)


def test_an_accepted_referral_shows_only_the_sharing_profile_fields(world):
    _share(world)
    got = access(world.other_caseworker, world.case)
    assert got.relationship == Relationship.REFERRAL
    assert got.identity_fields == {"full_name", "other_names", "date_of_birth", "phone", "address", "family_contacts"}
    assert "notes" not in read_identity(got) and "id_number" not in read_identity(got)
    assert not got.can_edit


def test_the_referral_shares_no_more_than_was_sent(world):
    _share(world, fields=["full_name"])
    assert access(world.other_caseworker, world.case).identity_fields == {"full_name"}


def test_a_referral_not_yet_accepted_gives_no_access(world):
    _share(world, status=ReferralStatus.SENT)
    with pytest.raises(NotFound):
        access(world.other_caseworker, world.case)


def test_withdrawn_sharing_consent_stops_access_at_once(world):
    _share(world)
    assert world.case in cases_visible_to(world.other_caseworker)
    consent_record(access=access(world.owner_caseworker, world.case), purpose="sharing",
                   agency_kind=AgencyKind.SOCIAL_PROTECTION, decision="withdrawn", given_by="person", method="signed_form")
    with pytest.raises(NotFound):
        access(world.other_caseworker, world.case)
    assert world.case not in cases_visible_to(world.other_caseworker)


def test_another_persons_sharing_consent_does_not_open_this_case(world):
    """Regression: consent is per person. Another person's consent for the same agency kind opens nothing."""
    _share(world, consent="withdrawn")
    other = register(world.owner_caseworker, full_name="Sùng Thị Dợ")
    consent_record(access=access(world.owner_caseworker, other), purpose="sharing",
                   agency_kind=AgencyKind.SOCIAL_PROTECTION, decision="given", given_by="person", method="signed_form")
    assert world.case not in cases_visible_to(world.other_caseworker)
    with pytest.raises(NotFound):
        access(world.other_caseworker, world.case)


def test_a_referred_agency_cannot_edit(world):
    _share(world)
    with pytest.raises(NotFound):
        access(world.other_caseworker, world.case, Need.EDIT)


def test_break_glass_needs_a_written_reason(world):
    with pytest.raises(HavenError):
        break_glass_open(acting_user=world.other_caseworker, code=world.case.code, reason="urgent")
    assert not BreakGlass.objects.exists()


def test_break_glass_opens_time_limited_access_and_flags_it(world):
    break_glass_open(acting_user=world.other_caseworker, code=world.case.code,
                     reason="Người này đang bị đe dọa tại nhà tạm lánh, cần liên hệ ngay trong đêm")
    got = access(world.other_caseworker, world.case)
    assert got.relationship == Relationship.BREAK_GLASS and "notes" not in got.identity_fields
    assert list(break_glass_pending_review(world.supervisor))[0].user == world.other_caseworker
    assert AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS, case_id=world.case.pk).exists()
    BreakGlass.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(NotFound):
        access(world.other_caseworker, world.case)


def test_reading_identity_logs_the_field_names(world):
    read_identity(access(world.owner_caseworker, world.case), fields=frozenset({"full_name", "phone"}))
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).last()
    assert event.fields == ["full_name", "phone"] and event.actor == world.owner_caseworker
    assert event.case_id == world.case.pk and event.agency_id_at_time == world.owner_agency.pk


def test_search_finds_an_accented_name_by_unaccented_words(world):
    assert list(case_search(world.owner_caseworker, "dang thi ngoc")) == [world.case]
    assert list(case_search(world.owner_caseworker, "NGOC")) == [world.case]
    assert list(case_search(world.owner_caseworker, "Ngọc Đặng")) == [world.case]
    assert list(case_search(world.owner_caseworker, "ngo")) == []


def test_search_never_reaches_beyond_what_the_user_may_see(world):
    assert list(case_search(world.other_caseworker, "dang thi ngoc")) == []
    assert list(case_search(world.statistician, world.case.code)) == []


def test_names_for_a_page_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from haven.cases.selectors import names_for_cases

    for i in range(20):
        register(world.owner_caseworker, full_name=f"Nguyễn Thị Hoa {i}")
    cases = list(cases_visible_to(world.supervisor))
    with django_assert_max_num_queries(12):
        names = names_for_cases(world.supervisor, cases)
    assert len(names) == 21 and names[world.case.pk] == "Đặng Thị Ngọc"
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY, actor=world.supervisor).count() == 21


def test_names_are_given_only_where_the_name_may_be_seen(world):
    from haven.cases.selectors import names_for_cases

    _share(world, fields=["phone"])
    assert names_for_cases(world.other_caseworker, [world.case]) == {}
    assert names_for_cases(world.statistician, [world.case]) == {}
