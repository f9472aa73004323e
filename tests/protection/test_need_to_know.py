"""Threat details, relatives' names and notes: shown to those who need to know, audited; others see that
threats exist. The case list's risk column costs one query whatever the page size."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditEvent
from haven.protection.assessments import risk_assess
from haven.protection.selectors import risk_levels_for
from tests.conftest import login
from tests.factories import access, register
from tests.protection.conftest import LEVELS

pytestmark = pytest.mark.django_db
SECRET = "Kẻ môi giới gọi điện đe dọa gia đình"


def _page(user, case):  # noqa: ANN001, ANN202
    client = login(__import__("django.test", fromlist=["Client"]).Client(), user)
    client.cookies["django_language"] = "en"
    return client.get(f"/cases/{case.code}/protection/").content.decode()


def test_the_owner_sees_threat_details_and_the_read_is_audited(world, case, threat, measure_in_force):
    html = _page(world.owner_caseworker, case)
    assert SECRET in html and "Giàng Thị Mai" in html
    event = AuditEvent.objects.filter(action="view_identity", object_type="threat", actor=world.owner_caseworker).get()
    assert event.fields == ["description", "location"] and SECRET not in json.dumps(event.changes)


def test_a_break_glass_user_sees_only_that_threats_exist(world, case, threat, measure_in_force, outsider):
    from haven.cases.services import break_glass_open

    break_glass_open(acting_user=outsider, code=case.code,
                     reason="Người bị đe dọa đang gọi cấp cứu, cần xem hồ sơ ngay")
    html = _page(outsider, case)
    assert "Trafficker" in html and "Severe" in html
    assert SECRET not in html and "Giàng Thị Mai" not in html
    assert not AuditEvent.objects.filter(action="view_identity", object_type="threat", actor=outsider).exists()


def test_the_api_hides_details_from_a_womens_union_on_a_referral(world, case, threat, api, outsider):
    from haven.consent.services import consent_record
    from haven.referrals.models import Referral, ReferralStatus

    Referral.objects.create(case=case, from_agency=world.owner_agency, to_agency=outsider.agency, purpose="Hỗ trợ",
                            fields_shared=[], status=ReferralStatus.ACCEPTED, due_on=case.received_on,
                            sent_by=world.owner_caseworker)
    consent_record(access=access(world.owner_caseworker, case, "edit"), purpose="sharing",
                   agency_kind=AgencyKind.WOMENS_UNION, decision="given", given_by="person", method="signed_form")
    rows = api(outsider).get(f"/api/cases/{case.code}/threats").json()
    assert rows[0]["source"] == "trafficker" and rows[0]["description"] is None and rows[0]["location"] is None
    shown = api(world.other_caseworker).get(f"/api/cases/{case.code}/threats").json()
    assert shown[0]["description"] == SECRET


def test_the_risk_column_is_one_query_for_a_page_of_cases(world):
    cases = [register(world.owner_caseworker, received_on="2025-08-01") for _ in range(6)]
    for c in cases[:4]:
        risk_assess(access=access(world.owner_caseworker, c), occasion="reception", assessed_on="2025-08-02",
                    levels={**LEVELS, "health": "high"})
    with CaptureQueriesContext(connection) as queries:
        levels = risk_levels_for(c.pk for c in cases)
    assert len(queries) == 1 and levels == {c.pk: "high" for c in cases[:4]}


def test_the_case_list_shows_the_risk_without_a_query_per_row(world):
    cases = [register(world.owner_caseworker, received_on="2025-08-01") for _ in range(3)]
    for c in cases:
        risk_assess(access=access(world.owner_caseworker, c), occasion="reception", assessed_on="2025-08-02",
                    levels=LEVELS)
    client = login(__import__("django.test", fromlist=["Client"]).Client(), world.owner_caseworker)
    client.cookies["django_language"] = "en"
    client.get("/cases/")  # the first page of a session also records its activity (a session write)
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for _ in range(5):
        c = register(world.owner_caseworker, received_on="2025-08-01")
        risk_assess(access=access(world.owner_caseworker, c), occasion="reception", assessed_on="2025-08-02",
                    levels=LEVELS)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/cases/").content.decode()
    assert len(many) == len(few) and html.count('data-risk="medium"') == 8


def test_the_banner_shows_the_level_and_the_measures_in_force_on_every_case_tab(world, case, measure_in_force):
    risk_assess(access=access(world.owner_caseworker, case), occasion="reception", assessed_on="2025-08-02",
                levels={**LEVELS, "traffickers": "high"})
    client = login(__import__("django.test", fromlist=["Client"]).Client(), world.owner_caseworker)
    client.cookies["django_language"] = "en"
    html = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-risk-level="high"' in html and "Keeping personal information secret" in html


def test_the_command_line_shows_and_records(world, case):
    out = StringIO()
    call_command("protection", "threat", case.code, "--as", "owner_cw", "--on", "2025-08-10", "--source",
                 "trafficker", "--severity", "serious", "--description", "Nhắn tin đe dọa", stdout=out)
    assert json.loads(out.getvalue())["review_needed"] is True
    out = StringIO()
    call_command("protection", "review", case.code, "--as", "owner_sup", "--outcome", "sufficient", stdout=out)
    out = StringIO()
    call_command("protection", "show", case.code, "--as", "owner_cw", stdout=out)
    shown = json.loads(out.getvalue())
    assert shown["threats"][0]["description"] == "Nhắn tin đe dọa" and shown["threats_awaiting_review"] == 0


def test_the_command_line_gives_the_same_not_found_to_outsiders(world, case, outsider):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no case"):
        call_command("protection", "show", case.code, "--as", "far_cw", stdout=StringIO())


def test_a_bad_date_is_a_translated_error_and_nothing_changes(world, case, api):
    response = api(world.owner_caseworker).post(f"/api/cases/{case.code}/threats?lang=vi", {
        "occurred_on": "2025-08-10", "reported_on": "2025-08-01", "source": "family", "severity": "minor",
        "description": "x"})
    assert response.status_code == 400 and response.json()["field"] == "reported_on"
    from haven.protection.models import ThreatIncident

    assert not ThreatIncident.objects.exists()
