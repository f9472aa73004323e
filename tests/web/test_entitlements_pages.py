"""The Entitlements tab: items and reasons, facts, applications, the rights statement, the dashboard panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, Person
from haven.cases.services import case_identify, case_start_verification
from haven.entitlements.models import ApplicationStatus, ApplicationStep, EntitlementFacts, SupportApplication
from haven.entitlements.services import application_create, facts_update
from tests.factories import access, province
from tests.web.conftest import share_with_other_agency, text

pytestmark = pytest.mark.django_db


def _victim(world, identified_on="2024-03-05"):
    # The shared case was received in 2026; move its reception before the identification under test.
    Case.objects.filter(pk=world.case.pk).update(received_on=dt.date.fromisoformat(identified_on) - dt.timedelta(days=4))
    world.case.refresh_from_db()
    got = access(world.owner_caseworker, world.case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on=identified_on, authority="Công an tỉnh Lào Cai", document="12/QĐ")
    return access(world.owner_caseworker, world.case, "edit")


def _url(world, rest=""):
    return f"/cases/{world.case.code}/entitlements/{rest}"


def _row(body, code):
    match = re.search(rf'<tr data-item="{code}" data-status="([a-z_]+)">(.*?)</tr>', body, re.S)
    assert match, code
    return match.group(1), match.group(2)


FACTS = {"poor_household": "no", "near_poor_household": "unknown", "financial_difficulty": "unknown",
         "has_health_insurance": "unknown", "has_relatives": "yes", "revolutionary_merit_family": "unknown",
         "located": "vietnam", "shelter_from": "", "shelter_to": ""}


def test_the_tab_shows_the_regime_and_every_item_with_its_reasons(world, owner):
    _victim(world)
    body = text(owner.get(_url(world, "?on=2024-06-01")))
    assert "Luật 66/2011" in body and "Thông tư 84/2019" in body
    assert "Trợ cấp khó khăn ban đầu" in body
    assert "cần thêm thông tin" in body  # the poverty question is not answered yet
    assert "05/03/2025" in body  # apply-by date, dd/mm/yyyy in Vietnamese
    assert "Nghị định 09/2013" in body or "Decree 09/2013/ND-CP" in body
    assert f'action="/cases/{world.case.code}/entitlements/facts/"' in body


def test_the_tab_speaks_english_when_asked(world, owner):
    _victim(world)
    owner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = text(owner.get(_url(world, "?on=2024-06-01")))
    assert "Initial hardship allowance" in body and "Needs information" in body
    assert "Law 66/2011" in body


def test_the_case_tabs_link_to_the_entitlements_tab(world, owner):
    assert _url(world) in text(owner.get(f"/cases/{world.case.code}/"))


def test_answering_poor_household_no_refuses_the_allowance_with_the_poor_list_reason(world, owner):
    _victim(world)
    response = owner.post(_url(world, "facts/"), FACTS)
    assert response.status_code == 302
    assert EntitlementFacts.objects.get(case=world.case).poor_household is False
    status, row = _row(text(owner.get(_url(world, "?on=2024-06-01"))), "hardship_allowance")
    assert status == "not_entitled"
    assert "danh sách hộ nghèo" in row


@pytest.mark.parametrize("change", [{"poor_household": "maybe"}, {"shelter_from": "2024-03-10",
                                                                   "shelter_to": "2024-03-01"},
                                    {"located": "mars"}, {"shelter_from": "not a date"}])
def test_bad_facts_change_nothing(world, owner, change):
    _victim(world)
    response = owner.post(_url(world, "facts/"), FACTS | change)
    assert response.status_code == 200
    assert 'class="errorlist' in text(response)
    assert not EntitlementFacts.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("on", ["2024-13-45", "yesterday", "0000-00-00", "x" * 500])
def test_a_bad_evaluation_date_is_refused_in_words_not_a_crash(world, owner, on):
    _victim(world)
    response = owner.get(_url(world), {"on": on})
    assert response.status_code == 200
    assert "Nhập ngày theo dạng" in text(response)


def test_an_amount_the_province_has_not_set_is_never_a_number(world, owner):
    got = _victim(world, identified_on="2025-07-05")
    facts_update(access=got, changes={"poor_household": True, "shelter_from": "2025-07-05",
                                      "shelter_to": "2025-07-20"})
    body = text(owner.get(_url(world, "?on=2025-08-01")))
    rows = re.findall(r'<tr data-item="[a-z_]+" data-status="amount_not_set">(.*?)</tr>', body, re.S)
    assert rows
    for row in rows:
        amount_cell = re.search(r'<td class="num nowrap">(.*?)</td>', row, re.S).group(1)
        assert "Mức do nghị quyết của tỉnh quy định, chưa được nhập" in amount_cell
        assert not re.search(r"\d", amount_cell)
        assert " đ<" not in row and "VND" not in row


def test_a_reported_figure_is_labelled(world, owner):
    # Lao Cai's figures come from the seed study: reported, not confirmed.
    Person.objects.filter(pk=world.case.person_id).update(home_province=province())
    got = _victim(world)
    facts_update(access=got, changes={"poor_household": True})
    _, row = _row(text(owner.get(_url(world, "?on=2024-06-01"))), "hardship_allowance")
    assert '<span class="badge warn"' in row and "được báo cáo" in row
    assert "1.000.000 đ" in row


def test_a_reported_step_is_labelled(world, owner):
    got = _victim(world)
    application_create(access=got, item="vocational_training", received_on="2024-06-03")
    body = text(owner.get(_url(world)))
    assert "Quá hạn" in body  # due dates of 2024 are long past
    assert '<span class="badge warn">được báo cáo</span>' in body


def test_an_application_is_created_a_step_completed_and_a_refusal_needs_a_reason(world, owner):
    _victim(world)
    assert owner.post(_url(world, "applications/"), {"item": "vocational_training",
                                                    "received_on": "2024-06-03"}).status_code == 302
    application = SupportApplication.objects.get(case=world.case)
    assert owner.post(_url(world, f"applications/{application.pk}/step/"),
                      {"completed_on": "2024-06-05", "note": ""}).status_code == 302
    assert ApplicationStep.objects.get(application=application, order=1).completed_on == dt.date(2024, 6, 5)
    refused = owner.post(_url(world, f"applications/{application.pk}/decide/"),
                         {"decision": "rejected", "decided_on": "2024-06-20", "note": ""})
    assert refused.status_code == 200 and 'class="errorlist' in text(refused)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert owner.post(_url(world, f"applications/{application.pk}/decide/"),
                      {"decision": "approved", "decided_on": "2024-06-20", "note": "",
                       "amount_vnd": "2000000"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.amount_vnd == 2_000_000
    assert "2.000.000 đ" in text(owner.get(_url(world)))


@pytest.mark.parametrize("data", [{"item": "loan", "received_on": "2024-06-03"},
                                  {"item": "education", "received_on": "03-06-2024x"},
                                  {"item": "", "received_on": ""}])
def test_a_bad_application_creates_nothing(world, owner, data):
    _victim(world)
    response = owner.post(_url(world, "applications/"), data)
    assert response.status_code == 200
    assert not SupportApplication.objects.exists()


def test_a_step_cannot_be_completed_before_the_application(world, owner):
    got = _victim(world)
    application = application_create(access=got, item="vocational_training", received_on="2024-06-03")
    response = owner.post(_url(world, f"applications/{application.pk}/step/"), {"completed_on": "2024-05-01"})
    assert response.status_code == 200 and 'class="errorlist' in text(response)
    assert not ApplicationStep.objects.filter(completed_on__isnull=False).exists()


def test_another_cases_application_is_not_found(world, owner):
    _victim(world)
    assert owner.post(_url(world, "applications/999999/step/"), {"completed_on": "2024-06-05"}).status_code == 404


def test_a_referred_agency_reads_the_tab_but_cannot_change_anything(world, outsider):
    got = _victim(world)
    application = application_create(access=got, item="vocational_training", received_on="2024-06-03")
    share_with_other_agency(world)
    body = text(outsider.get(_url(world, "?on=2024-06-01")))
    assert "Trợ cấp khó khăn ban đầu" in body
    assert "/facts/" not in body and "/decide/" not in body and "statement.pdf" not in body
    assert outsider.post(_url(world, "facts/"), FACTS).status_code == 404
    assert outsider.post(_url(world, "applications/"), {"item": "education",
                                                       "received_on": "2024-06-03"}).status_code == 404
    assert outsider.post(_url(world, f"applications/{application.pk}/step/"),
                         {"completed_on": "2024-06-05"}).status_code == 404
    assert outsider.get(_url(world, "statement.pdf?lang=vi")).status_code == 404
    assert not EntitlementFacts.objects.exists()
    assert not ApplicationStep.objects.filter(completed_on__isnull=False).exists()


@pytest.mark.parametrize("persona", ["other_caseworker", "statistician", "auditor"])
def test_others_get_the_missing_page(world, as_user, persona):
    _victim(world)
    client = as_user(world.personas()[persona])
    assert client.get(_url(world)).status_code == 404
    assert client.get(_url(world, "statement.pdf")).status_code == 404


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_rights_statement_downloads_as_a_pdf_named_by_code_and_is_logged(world, owner, lang):
    _victim(world)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = owner.get(_url(world, f"statement.pdf?lang={lang}"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and world.case.code in disposition
    assert "Ngọc" not in disposition and "Dang" not in disposition
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert event.object_type == "rights_statement" and event.case_id == world.case.pk


def test_overdue_steps_appear_on_the_supervisors_dashboard_only(world, supervisor, owner):
    got = _victim(world)
    application_create(access=got, item="vocational_training", received_on="2024-06-03")
    body = text(supervisor.get("/"))
    assert "Bước xử lý hồ sơ quá hạn" in body
    assert _url(world) in body and "Hỗ trợ học nghề" in body
    assert "Bước xử lý hồ sơ quá hạn" not in text(owner.get("/"))
