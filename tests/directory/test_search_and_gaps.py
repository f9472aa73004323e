"""Search by need, places free, the selectors other apps use, and the gaps of a province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditEvent
from haven.core.demo.build import demo_load
from haven.core.errors import HavenError
from haven.directory.selectors import (
    capacity_by_agency,
    directory_gaps,
    entries,
    offerings_for_need,
    read_contacts,
    resolve_province,
)
from haven.directory.services import offering_deactivate
from haven.geo.models import AdminUnit
from haven.support.models import ShelterStay
from tests.directory.conftest import ADDRESS, Directory, add
from tests.factories import agency, commune, province, register

pytestmark = pytest.mark.django_db


def _names(offerings) -> list[str]:
    return [o.name for o in offerings]


def test_search_by_need_sex_age_and_language(directory):
    assert _names(offerings_for_need(item="shelter")) == ["Nhà tạm lánh"]
    assert _names(offerings_for_need(item="shelter", sex="male")) == []
    assert _names(offerings_for_need(item="shelter", age=9)) == []
    assert _names(offerings_for_need(item="shelter", age=11)) == ["Nhà tạm lánh"]
    assert _names(offerings_for_need(item="psychological", sex="male")) == ["Tư vấn tâm lý"]
    assert _names(offerings_for_need(language="ium")) == ["Nhà tạm lánh"]
    assert _names(offerings_for_need(language="hni")) == []


def test_search_leaves_out_inactive_offerings(directory):
    offering_deactivate(acting_user=directory.shelter_admin, offering_id=directory.women_shelter.pk)
    assert offerings_for_need(item="shelter") == []
    assert _names(offerings_for_need(item="shelter", include_inactive=True)) == ["Nhà tạm lánh"]


@pytest.mark.parametrize("field, value", [("item", "teleport"), ("language", "xx"), ("sex", "other")])
def test_search_refuses_an_unknown_code(directory, field, value):
    with pytest.raises(HavenError) as caught:
        offerings_for_need(**{field: value})
    assert caught.value.field == field


def test_agency_names_are_found_without_accents(directory):
    assert _names(offerings_for_need(q="suong som")) == ["Nhà tạm lánh"]
    assert _names(offerings_for_need(q="SƯƠNG")) == ["Nhà tạm lánh"]
    assert _names(offerings_for_need(q="cong tac xa hoi")) == ["Tư vấn tâm lý"]
    assert offerings_for_need(q="uong") == []  # whole words from their start, not any substring


def test_results_are_in_vietnamese_alphabetical_order_of_agency_names(directory):
    admin = directory.world.system_admin
    # Vietnamese order: a < ă < â < … d < đ < e; "Đ" sorts after "D", not with it (as a byte sort would not).
    for name in ("Ấp Đông", "Đồng Tâm", "Dương Quang", "Ăn Khang", "Ánh Dương", "Zeta"):
        add(admin, agency(AgencyKind.NGO_SHELTER, name), name=f"Dịch vụ {name}")
    agencies = [o.agency.name for o in offerings_for_need(q="")][:]
    ours = [n for n in agencies if n in {"Ấp Đông", "Đồng Tâm", "Dương Quang", "Ăn Khang", "Ánh Dương", "Zeta"}]
    assert ours == ["Ánh Dương", "Ăn Khang", "Ấp Đông", "Dương Quang", "Đồng Tâm", "Zeta"]


def test_search_by_province_includes_the_provinces_merged_into_it(directory):
    new = AdminUnit.objects.create(code="lao-cai-2025", name="Tỉnh Lào Cai", name_ascii="Tinh Lao Cai",
                                   level="province", valid_from=dt.date(2025, 7, 1))
    old = province()  # "lao-cai", the factories' province, now ends and is succeeded
    old.valid_to, old.successor = dt.date(2025, 6, 30), new
    old.save()
    in_commune = agency(AgencyKind.COMMUNE_COMMITTEE, "UBND xã Y Tý", jurisdiction=commune(old))
    add(directory.world.system_admin, in_commune, name="Trợ cấp", items=["hardship_allowance"])
    elsewhere = province("ha-giang", "Hà Giang")
    add(directory.world.system_admin, agency(AgencyKind.NGO_SHELTER, "Nhà Hà Giang", jurisdiction=elsewhere),
        name="Ở Hà Giang")
    in_lao_cai = _names(offerings_for_need(province=resolve_province("lao-cai-2025")))
    assert set(in_lao_cai) == {"Nhà tạm lánh", "Tư vấn tâm lý", "Trợ cấp"}
    assert resolve_province("lao-cai") == new  # an ended province stands for its successor
    assert _names(offerings_for_need(province=resolve_province("ha-giang"))) == ["Ở Hà Giang"]


@pytest.mark.parametrize("code", ["", "atlantis", "lao-cai/y-ty", None])
def test_an_unknown_province_is_a_clear_error(directory, code):
    commune(province())
    with pytest.raises(HavenError) as caught:
        resolve_province(code)
    assert caught.value.field == "province"


def _stay(directory: Directory, *, discharged: bool = False) -> ShelterStay:
    # Rows made directly: the support app's own pages and services are another issue's work.
    w = directory.world
    return ShelterStay.objects.create(
        case=register(w.owner_caseworker), facility=directory.shelter, admitted_on=dt.date(2026, 3, 2), admitted_by=w.owner_caseworker,
        discharged_on=dt.date(2026, 3, 20) if discharged else None,
    )


def test_places_free_count_people_staying_now(directory):
    _stay(directory)
    _stay(directory)
    _stay(directory, discharged=True)
    entry = entries([directory.women_shelter])[0]
    assert (entry.agency_capacity, entry.occupied, entry.places_free) == (10, 2, 8)
    assert entries([directory.counselling])[0].places_free is None  # not residential


def test_capacity_by_agency_sums_active_residential_places(directory):
    add(directory.shelter_admin, directory.shelter, name="Nhà thứ hai", items=["shelter"], capacity=5)
    add(directory.shelter_admin, directory.shelter, name="Tư vấn", items=["psychological"])
    closed = add(directory.shelter_admin, directory.shelter, name="Đã đóng", items=["shelter"], capacity=50)
    offering_deactivate(acting_user=directory.shelter_admin, offering_id=closed.pk)
    assert capacity_by_agency([directory.shelter.pk, directory.world.other_agency.pk]) == {directory.shelter.pk: 15}


def test_search_takes_a_fixed_number_of_queries(directory, django_assert_max_num_queries):
    for n in range(10):
        add(directory.shelter_admin, directory.shelter, name=f"Nhà {n}", items=["shelter"], capacity=2)
    with django_assert_max_num_queries(4):
        entries(offerings_for_need(item="shelter"))


def test_contacts_are_read_only_by_authorised_roles_and_each_read_is_audited(directory):
    personas = directory.personas()
    for persona in ("caseworker", "supervisor", "own_admin", "other_admin"):
        before = AuditEvent.objects.filter(action="view_identity", object_type="service_offering").count()
        contacts = read_contacts(personas[persona], [directory.women_shelter])
        assert contacts[directory.women_shelter.pk]["address"] == ADDRESS
        events = AuditEvent.objects.filter(action="view_identity", object_type="service_offering")
        assert events.count() == before + 1
        latest = events.latest("seq")
        assert sorted(latest.fields) == ["address", "phone"] and ADDRESS not in str(latest.changes)
    for persona in ("system_admin", "statistician", "auditor", "anonymous"):
        from django.contrib.auth.models import AnonymousUser

        assert read_contacts(personas[persona] or AnonymousUser(), [directory.women_shelter]) == {}


# --- Gaps -----------------------------------------------------------------------------------------


def _sentences(province_code: str = "lao-cai", language: str = "en") -> list[str]:
    with translation.override(language):
        return directory_gaps(resolve_province(province_code)).sentences()


def test_no_service_accepting_adult_men_for_shelter_is_a_gap(directory):
    assert "No service in Lào Cai accepts adult men for shelter." in _sentences()
    assert "No service in Lào Cai accepts boys for shelter." in _sentences()
    assert "No service in Lào Cai accepts adult women for shelter." not in _sentences()


def test_adding_a_service_for_men_closes_the_gap_and_deactivating_it_reopens_it(directory):
    men = add(directory.shelter_admin, directory.shelter, name="Nhà cho nam", items=["shelter"], sexes=["male"],
              min_age=18, capacity=4)
    sentences = _sentences()
    assert "No service in Lào Cai accepts adult men for shelter." not in sentences
    assert "No service in Lào Cai accepts boys for shelter." in sentences  # 18 and older only
    offering_deactivate(acting_user=directory.shelter_admin, offering_id=men.pk)
    assert "No service in Lào Cai accepts adult men for shelter." in _sentences()


def test_a_need_nobody_offers_is_one_sentence_and_loans_are_not_asked_of_children(directory):
    sentences = _sentences()
    assert "No service in Lào Cai offers loan support." in sentences
    assert not any("loan" in s and "accepts" in s for s in sentences)
    add(directory.shelter_admin, directory.shelter, name="Vay vốn", items=["loan"], sexes=["female", "male"])
    gaps = directory_gaps(resolve_province("lao-cai"))
    assert gaps.matrix["loan"] == {"adult_women": 1, "adult_men": 1, "girls": None, "boys": None}
    assert not any("loan" in s for s in _sentences())


def test_languages_no_service_speaks_are_gaps(directory):
    sentences = _sentences()
    assert "No service in Lào Cai speaks Hà Nhì." in sentences
    assert not any("speaks Hmong" in s for s in sentences)
    assert directory_gaps(resolve_province("lao-cai")).languages["hmn"] == 2


def test_gap_sentences_name_the_need_in_the_readers_language(directory):
    # The need's name is data in both languages; the sentence around it comes from the catalogue.
    assert any("nơi ở tạm thời" in s for s in _sentences(language="vi"))
    assert not any("nơi ở tạm thời" in s for s in _sentences(language="en"))


def test_an_age_range_serves_a_group_if_it_overlaps_it(directory):
    gaps = directory_gaps(resolve_province("lao-cai"))
    # The shelter takes women and girls from 11: both groups are served.
    assert gaps.matrix["shelter"] == {"adult_women": 1, "adult_men": 0, "girls": 1, "boys": 0}


def test_the_demo_reproduces_the_studys_gap_for_adult_men(db):
    demo_load()
    sentences = _sentences("lao-cai-2025")
    assert "No service in Lào Cai accepts adult men for shelter." in sentences
    assert "No service in Lào Cai accepts adult women for shelter." not in sentences
    assert capacity_by_agency([o.agency_id for o in offerings_for_need(item="shelter")])
