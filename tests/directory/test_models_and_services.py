"""ServiceOffering's database constraints, and the services that write offerings."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from haven.accounts.models import Role
from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.directory.models import ServiceOffering
from haven.directory.services import (
    offering_create,
    offering_deactivate,
    offering_reactivate,
    offering_update,
)
from tests.directory.conftest import ADDRESS, PHONE, Directory, add
from tests.factories import user

pytestmark = pytest.mark.django_db


# --- Database constraints ---------------------------------------------------------------------------


def _raw(directory: Directory, **values) -> None:
    defaults = {"agency": directory.shelter, "name": "Hàng thô", "items": ["psychological"], "languages": ["vie"]}
    with transaction.atomic():
        ServiceOffering.objects.create(**(defaults | values))


@pytest.mark.parametrize("values", [
    {"min_age": 18, "max_age": 11},
    {"min_age": 121},
    {"max_age": 200},
    {"capacity": -1},
    {"accepts_female": False, "accepts_male": False},
    {"name": ""},
])
def test_the_database_refuses_an_impossible_offering(directory, values):
    with pytest.raises(IntegrityError):
        _raw(directory, **values)


def test_the_database_refuses_two_services_of_the_same_name_at_one_agency(directory):
    with pytest.raises(IntegrityError):
        _raw(directory, name=directory.women_shelter.name)


def test_the_address_and_phone_are_sealed_in_the_database(directory):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT address, phone FROM directory_serviceoffering WHERE id = %s",
                       [directory.women_shelter.pk])
        address, phone = cursor.fetchone()
    assert address.startswith("hv1:") and phone.startswith("hv1:")
    assert "Thử Nghiệm" not in address


# --- Creating -------------------------------------------------------------------------------------


def test_an_agency_admin_adds_a_service_to_his_agency(directory):
    offering = add(directory.shelter_admin, directory.shelter, name="Học nghề", items=["vocational_training"],
                   sexes=["male", "female"], languages=["hmn", "vie"])
    assert offering.agency == directory.shelter
    assert offering.sexes == ["female", "male"]
    assert offering.languages == ["vie", "hmn"]  # the catalogue's order


def test_an_agency_admin_may_not_add_a_service_to_another_agency(directory):
    before = ServiceOffering.objects.count()
    with pytest.raises(PermissionDenied):
        add(directory.other_admin, directory.shelter, name="Không được")
    assert ServiceOffering.objects.count() == before


def test_a_system_admin_adds_a_service_to_any_agency(directory):
    assert add(directory.world.system_admin, directory.shelter, name="Của quản trị").agency == directory.shelter


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "statistician", "auditor"])
def test_other_roles_may_not_add_services(directory, persona):
    with pytest.raises(PermissionDenied):
        add(directory.personas()[persona], directory.world.owner_agency, name="Không được")


@pytest.mark.parametrize("values, field", [
    ({"items": []}, "items"),
    ({"items": ["teleportation"]}, "items"),
    ({"sexes": []}, "sexes"),
    ({"sexes": ["other"]}, "sexes"),
    ({"languages": []}, "languages"),
    ({"languages": ["xx"]}, "languages"),
    ({"min_age": -1}, "min_age"),
    ({"min_age": "mười"}, "min_age"),
    ({"max_age": 121}, "max_age"),
    ({"min_age": 18, "max_age": 11}, "max_age"),
    ({"capacity": -3}, "capacity"),
    ({"capacity": 5, "items": ["psychological"]}, "capacity"),
    ({"name": "  "}, "name"),
    ({"name": "Nhà tạm lánh"}, "name"),  # already taken at this agency
    ({"phone": "gọi cho tôi"}, "phone"),
    ({"notes": "x" * 1001}, "notes"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_changes(directory, values, field):
    before, events = ServiceOffering.objects.count(), AuditEvent.objects.count()
    with pytest.raises(HavenError) as caught:
        add(directory.shelter_admin, directory.shelter, **({"name": "Mới"} | values))
    assert caught.value.field == field
    assert str(caught.value.message)
    assert (ServiceOffering.objects.count(), AuditEvent.objects.count()) == (before, events)


def test_an_unknown_or_inactive_agency_is_refused(directory):
    with pytest.raises(HavenError) as caught:
        offering_create(acting_user=directory.world.system_admin, agency_id=999999, name="X", items=["food"],
                        sexes=["male"], languages=["vie"])
    assert caught.value.field == "agency"
    directory.shelter.is_active = False
    directory.shelter.save()
    with pytest.raises(HavenError):
        offering_create(acting_user=directory.world.system_admin, agency_id=directory.shelter.pk, name="X",
                        items=["food"], sexes=["male"], languages=["vie"])


def test_creating_is_audited_without_the_address_or_phone(directory):
    event = AuditEvent.objects.filter(object_type="service_offering", object_id=str(directory.women_shelter.pk),
                                      action="create").get()
    assert event.changes["items"] == ["shelter", "medical", "psychological"]
    assert event.changes["capacity"] == 10
    assert sorted(event.fields) == ["address", "phone"]
    dumped = str(event.changes) + str(event.fields) + event.reason
    assert ADDRESS not in dumped and PHONE not in dumped and "Thử Nghiệm" not in dumped


# --- Changing -------------------------------------------------------------------------------------


def test_an_update_saves_and_audits_old_and_new_values(directory):
    offering = offering_update(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk,
                               changes={"capacity": 12, "sexes": ["female", "male"]})
    assert (offering.capacity, offering.accepts_male) == (12, True)
    event = AuditEvent.objects.filter(object_type="service_offering", action="update").latest("seq")
    assert event.changes == {"capacity": [10, 12], "sexes": [["female"], ["female", "male"]]}


def test_a_new_address_is_audited_by_name_only(directory):
    offering_update(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk,
                    changes={"address": "Nơi mới, bí mật", "notes": "Có phòng cho mẹ và con"})
    event = AuditEvent.objects.filter(object_type="service_offering", action="update").latest("seq")
    assert event.changes == {}
    assert sorted(event.fields) == ["address", "notes"]
    assert "bí mật" not in str(event.changes) + event.reason
    assert ServiceOffering.objects.get(pk=directory.women_shelter.pk).address == "Nơi mới, bí mật"


def test_an_update_that_changes_nothing_writes_no_audit_event(directory):
    events = AuditEvent.objects.count()
    offering_update(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk,
                    changes={"capacity": 10})
    assert AuditEvent.objects.count() == events


def test_a_refused_update_changes_nothing(directory):
    with pytest.raises(HavenError) as caught:
        offering_update(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk,
                        changes={"capacity": 3, "min_age": 40, "max_age": 20})
    assert caught.value.field == "max_age"
    fresh = ServiceOffering.objects.get(pk=directory.women_shelter.pk)
    assert (fresh.capacity, fresh.min_age, fresh.max_age) == (10, 11, None)


def test_an_unknown_field_is_refused(directory):
    with pytest.raises(HavenError) as caught:
        offering_update(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk,
                        changes={"agency_id": directory.world.owner_agency.pk})
    assert caught.value.field == "agency_id"


def test_another_agencys_admin_may_not_change_or_deactivate_it(directory):
    for action in (lambda: offering_update(acting_user=directory.other_admin, offering_id=directory.women_shelter.pk,
                                           changes={"capacity": 1}),
                   lambda: offering_deactivate(acting_user=directory.other_admin,
                                               offering_id=directory.women_shelter.pk)):
        with pytest.raises(PermissionDenied):
            action()
    fresh = ServiceOffering.objects.get(pk=directory.women_shelter.pk)
    assert (fresh.capacity, fresh.is_active) == (10, True)


def test_a_missing_offering_is_not_found(directory):
    with pytest.raises(NotFound):
        offering_deactivate(acting_user=directory.world.system_admin, offering_id=999999)


def test_deactivate_and_reactivate(directory):
    assert not offering_deactivate(acting_user=directory.shelter_admin,
                                   offering_id=directory.women_shelter.pk).is_active
    assert offering_reactivate(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk).is_active
    statuses = list(AuditEvent.objects.filter(object_type="service_offering", action="update")
                    .order_by("seq").values_list("changes", flat=True))
    assert statuses[-2:] == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_an_admin_without_an_agency_manages_nothing(directory):
    lonely = user(None, Role.AGENCY_ADMIN, "lonely_admin")
    with pytest.raises(PermissionDenied):
        offering_deactivate(acting_user=lonely, offering_id=directory.women_shelter.pk)
