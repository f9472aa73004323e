"""Registration and the case workflow: validated, atomic, audited."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, NameToken, Person, PersonIdentity, Signoff, SignoffRule, Status
from haven.cases.services import (
    DuplicateWarning,
    Registration,
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
)
from haven.core.errors import HavenError, NotFound, PermissionDenied
from tests.factories import access, agency, build_world, registration, user

pytestmark = pytest.mark.django_db


def _counts():
    return (Person.objects.count(), PersonIdentity.objects.count(), Case.objects.count(), NameToken.objects.count(),
            AuditEvent.objects.count())


def test_registration_generates_a_pseudonymous_code_and_assigns_the_worker(world):
    case = world.case
    assert case.code.startswith("HV-26-") and len(case.code) == 12
    assert str(case.pk) not in case.code[6:]
    assert case.assigned_worker == world.owner_caseworker and case.owner_agency == world.owner_agency
    assert case.age_at_reception == 22 and case.person.birth_year == 2003


def test_registration_is_audited_with_field_names_only(world):
    event = AuditEvent.objects.get(action=AuditAction.CREATE, case_id=world.case.pk)
    assert {"full_name", "id_number", "phone"} <= set(event.fields)
    assert "Ngọc" not in str(event.changes)


def test_the_same_normalised_name_and_birth_date_warns_of_a_duplicate(world):
    before = _counts()
    with pytest.raises(DuplicateWarning) as warning:
        case_register(acting_user=world.owner_caseworker,
                      data=registration(full_name="Dang Thi Ngoc", id_number="", date_of_birth="2003-05-17"))
    assert warning.value.matches == [world.case]
    assert _counts() == before


def test_the_same_id_number_warns_even_from_another_agency(world):
    existing = world.case.person.identity.id_number
    with pytest.raises(DuplicateWarning):
        case_register(acting_user=world.other_caseworker,
                      data=registration(full_name="Người Khác", id_number=existing, date_of_birth=""))


def test_a_confirmed_duplicate_is_registered(world):
    case = case_register(acting_user=world.owner_caseworker, data=registration(date_of_birth="2003-05-17",
                         full_name="Đặng Thị Ngọc"), confirm_duplicate=True)
    assert case.person_id != world.case.person_id


@pytest.mark.parametrize(("field", "value"), [
    ("full_name", ""), ("sex", "robot"), ("category", "suspect"), ("received_on", "2026-13-01"),
    ("received_on", "2999-01-01"), ("return_mode", None), ("date_of_birth", "not a date"),
    ("birth_year", "1999"), ("nationality", "XX"), ("languages", ["vi", "klingon"]),
    ("exploitation_types", "forced_labour"), ("phone", "call me"), ("id_number", "12"),
    ("full_name", "x" * 201), ("notes", "y" * 5001), ("home_province", "atlantis"), ("full_name", "a\x00b"),
    ("destination_country", "China"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(world, field, value):
    before = _counts()
    with pytest.raises(HavenError) as error:
        case_register(acting_user=world.owner_caseworker, data=registration(**{field: value}), confirm_duplicate=True)
    assert error.value.field == field
    assert str(error.value.message)
    assert _counts() == before


def test_only_case_roles_may_register(world):
    for persona in (world.statistician, world.auditor, world.system_admin):
        with pytest.raises(PermissionDenied):
            case_register(acting_user=persona, data=registration())


def test_an_accompanying_minor_must_be_under_18_and_linked_to_a_visible_case(world):
    minor = case_register(acting_user=world.owner_caseworker, data=registration(
        full_name="Đặng Văn Bình", category="accompanying_minor", date_of_birth="2019-01-02",
        accompanies=world.case.code), confirm_duplicate=True)
    assert minor.accompanies == world.case
    with pytest.raises(HavenError):
        case_register(acting_user=world.owner_caseworker, data=registration(
            category="accompanying_minor", date_of_birth="1990-01-02", accompanies=world.case.code))
    with pytest.raises(HavenError) as error:
        case_register(acting_user=world.other_caseworker, data=registration(
            category="accompanying_minor", date_of_birth="2019-01-02", accompanies=world.case.code))
    assert error.value.field == "accompanies"


def test_the_workflow_runs_from_reception_to_closure(world):
    SignoffRule.objects.create(agency_kind="police", due_days=5)
    got = access(world.owner_caseworker, world.case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on="2026-03-05", authority="Công an tỉnh Lào Cai", document="123/QĐ-CA")
    assert got.case.category == "victim" and got.case.identified_on == dt.date(2026, 3, 5)
    signoff = Signoff.objects.get(case=world.case)
    assert signoff.agency_kind == "police" and signoff.due_on == dt.date(2026, 3, 10) and signoff.is_overdue()
    case_start_support(access=got)
    case_start_reintegration(access=got)
    case_close(access=got, reason="Đã tái hòa nhập ổn định")
    statuses = [e.changes["status"] for e in AuditEvent.objects.filter(action=AuditAction.STATUS).order_by("seq")]
    assert [s[1] for s in statuses] == ["verification", "identified", "support", "reintegration", "closed"]


def test_a_transition_out_of_order_is_refused_and_changes_nothing(world):
    got = access(world.owner_caseworker, world.case, "edit")
    with pytest.raises(HavenError) as error:
        case_identify(access=got, identified_on="2026-03-05", authority="x", document="y")
    assert error.value.code == "bad_transition"
    world.case.refresh_from_db()
    assert world.case.status == Status.RECEPTION and world.case.identified_on is None


def test_identification_cannot_predate_reception(world):
    got = access(world.owner_caseworker, world.case, "edit")
    case_start_verification(access=got)
    with pytest.raises(HavenError):
        case_identify(access=got, identified_on="2026-01-01", authority="x", document="y")


def test_not_a_victim_needs_a_reason(world):
    got = access(world.owner_caseworker, world.case, "edit")
    case_start_verification(access=got)
    with pytest.raises(HavenError):
        case_mark_not_victim(access=got, reason=" ")
    case_mark_not_victim(access=got, reason="Không đủ căn cứ")
    assert got.case.status == Status.NOT_VICTIM


def test_a_sign_off_is_given_by_a_supervisor_of_the_required_kind_in_the_province(world):
    SignoffRule.objects.create(agency_kind="police", due_days=5)
    got = access(world.owner_caseworker, world.case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on="2026-03-05", authority="Công an", document="1/QĐ")
    signoff = Signoff.objects.get(case=world.case)
    police_supervisor = user(agency("police", "Công an tỉnh Lào Cai"), "supervisor")
    with pytest.raises(NotFound):
        signoff_sign(acting_user=world.other_supervisor, signoff_id=signoff.pk, decision="approved")
    with pytest.raises(HavenError):
        signoff_sign(acting_user=police_supervisor, signoff_id=signoff.pk, decision="objected", note="")
    signoff_sign(acting_user=police_supervisor, signoff_id=signoff.pk, decision="approved")
    signoff.refresh_from_db()
    assert signoff.decision == "approved" and signoff.signed_by == police_supervisor


def test_only_the_supervisor_assigns_and_only_to_own_staff(world):
    with pytest.raises(NotFound):
        case_assign(access=access(world.owner_caseworker, world.case), worker_id=world.second_caseworker.pk)
    sup = access(world.supervisor, world.case)
    with pytest.raises(HavenError):
        case_assign(access=sup, worker_id=world.other_caseworker.pk)
    case_assign(access=sup, worker_id=world.second_caseworker.pk)
    assert access(world.second_caseworker, world.case).relationship == "assigned"
    with pytest.raises(NotFound):
        access(world.owner_caseworker, world.case)


def test_identity_update_reindexes_names_and_audits_field_names(world):
    got = access(world.owner_caseworker, world.case, "edit")
    changed = identity_update(access=got, changes={"full_name": "Đặng Thị Ngọc Lan", "phone": "0912 345 678"})
    assert changed == ["full_name"]
    from haven.cases.selectors import case_search

    assert list(case_search(world.owner_caseworker, "lan")) == [world.case]
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="person").last()
    assert event.fields == ["full_name"] and "Lan" not in str(event.changes)


_text = st.one_of(st.none(), st.text(max_size=60), st.integers(), st.lists(st.text(max_size=8), max_size=3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.fixed_dictionaries({name: _text for name in (
    "full_name", "sex", "category", "received_on", "reception_place", "return_mode", "date_of_birth", "id_number",
    "phone", "birth_year", "nationality", "languages", "exploitation_types", "destination_country", "home_province",
)}))
def test_any_input_either_registers_completely_or_changes_nothing(data):
    world = _hypothesis_world()
    before = _counts()
    try:
        case_register(acting_user=world.owner_caseworker, data=Registration(**data), confirm_duplicate=True)
    except HavenError as error:
        assert str(error.message)
        assert _counts() == before
    else:
        after = _counts()
        assert after[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)


_world_cache: dict = {}


def _hypothesis_world():
    # One world for all examples: hypothesis runs examples inside the same test transaction.
    from haven.accounts.models import User

    if "w" not in _world_cache or not User.objects.filter(pk=_world_cache["w"].owner_caseworker.pk).exists():
        _world_cache["w"] = build_world()
    return _world_cache["w"]
