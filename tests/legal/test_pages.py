"""The Justice tab and page in the browser's terms, in English and Vietnamese."""

from __future__ import annotations

import pytest

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditEvent
from haven.legal.awards import payment_record
from haven.legal.models import CompensationPayment, Proceeding, Verdict
from tests.conftest import login
from tests.legal.conftest import acc, refer
from tests.web.conftest import text

pytestmark = pytest.mark.django_db


def client_for(person, lang="en"):
    from django.test import Client

    c = login(Client(), person)
    c.cookies["django_language"] = lang
    return c


def test_the_owner_records_a_proceeding_and_a_verdict_in_the_browser(world, case):
    c = client_for(world.owner_caseworker)
    response = c.post(f"/cases/{case.code}/justice/proceedings/", {
        "kind": "criminal", "person_role": "victim", "stage": "prosecution", "court": "Tòa án Hư Cấu",
        "case_number": "HS-1/2024", "opened_on": "2024-04-01"})
    assert response.status_code == 302
    proceeding = Proceeding.objects.get()
    response = c.post(f"/cases/{case.code}/justice/verdicts/", {
        "proceeding": proceeding.pk, "decided_on": "2024-09-10", "court_level": "first_instance",
        "outcome": "convicted", "sentence_summary": "7 năm tù", "compensation_awarded": "30.000.000",
        "debtor": "Bị cáo B"})
    assert response.status_code == 302
    assert Verdict.objects.get().compensation_awarded == 30_000_000
    page = text(c.get(f"/cases/{case.code}/justice/"))
    assert "Tòa án Hư Cấu" in page and "Not paid at all" in page and 'data-state="not_paid"' in page


def test_a_bad_payment_comes_back_with_a_translated_message_and_saves_nothing(world, case, award):
    c = client_for(world.owner_caseworker, "vi")
    response = c.post(f"/cases/{case.code}/justice/awards/{award.pk}/payments/", {
        "received_on": "2024-10-01", "amount": "abc", "method": "cash", "evidence_ref": "BL"})
    assert response.status_code == 200
    assert "Nhập số tiền bằng đồng, chỉ gồm chữ số." in text(response)
    assert not CompensationPayment.objects.exists()


def test_the_tab_shows_received_and_outstanding(world, case, award):
    payment_record(access=acc(world.owner_caseworker, case), award_id=award.pk, received_on="2024-10-01",
                   amount=20_000_000, method="cash", evidence_ref="BL-9")
    page = text(client_for(world.owner_caseworker).get(f"/cases/{case.code}/justice/"))
    assert 'data-state="paid_in_part"' in page and "30,000,000" in page and "BL-9" in page


def test_a_shelter_on_a_referral_sees_amounts_but_not_the_court_and_no_read_is_logged(world, case, award):
    refer(world, case, world.other_agency, AgencyKind.SOCIAL_PROTECTION)
    before = AuditEvent.objects.filter(object_type__in=["proceeding", "verdict"]).count()
    page = text(client_for(world.other_caseworker).get(f"/cases/{case.code}/justice/"))
    assert "50,000,000" in page and 'data-sealed="hidden"' in page
    assert "Hư Cấu" not in page and "HS-77" not in page and "9 năm" not in page
    assert "Record a proceeding" not in page
    assert AuditEvent.objects.filter(object_type__in=["proceeding", "verdict"]).count() == before


def test_the_owner_reading_the_tab_is_audited_with_field_names_only(world, case, award):
    client_for(world.owner_caseworker).get(f"/cases/{case.code}/justice/")
    verdict_read = AuditEvent.objects.filter(object_type="verdict", actor=world.owner_caseworker,
                                             action="view_identity").get()
    assert verdict_read.fields == ["debtor", "sentence_summary"]
    assert "Hư Cấu" not in str(verdict_read.changes)


def test_the_supervisor_page_counts_awards_by_payment(world, case, award):
    page = text(client_for(world.supervisor).get("/justice/"))
    assert '<tr data-count="not_paid"><td>Not paid at all</td><td class="num">1</td>' in page
    assert f'data-award="{award.pk}"' in page


def test_the_statistician_sees_suppressed_counts_only(world, case, award):
    page = text(client_for(world.statistician).get("/justice/"))
    assert "<5</td>" in page and "50,000,000" not in page and case.code not in page


def test_the_dashboard_panel_counts_unpaid_awards_for_a_supervisor(world, case, award):
    page = text(client_for(world.supervisor).get("/"))
    assert 'data-unpaid="1"' in page


def test_the_legal_aid_agency_sees_requests_waiting_on_its_dashboard(world, case, legal_cw, referred):
    from haven.legal.proceedings import legal_aid_request

    legal_aid_request(access=acc(world.owner_caseworker, case), provider_id=legal_cw.agency_id,
                      requested_on="2025-08-01")
    page = text(client_for(legal_cw).get("/"))
    assert 'data-waiting="1"' in page


def test_no_page_edits_or_deletes_a_payment(world, case, award):
    from django.urls import get_resolver

    names = [p.name for p in get_resolver().url_patterns if getattr(p, "name", None)]
    from haven.legal import case_urls, urls

    routes = [str(p.pattern) for p in case_urls.urlpatterns + urls.urlpatterns]
    assert not any("edit" in r or "delete" in r for r in routes)
    assert names is not None
