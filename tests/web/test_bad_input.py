"""No input produces a server error: every form field of every page, filled with hostile values."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditEvent
from haven.cases.models import Case
from haven.consent.models import ConsentRecord
from tests.web.conftest import registration_form

HOSTILE = [
    "", " ", "\x00", "a\x00b", "²³", "١٢٣", "9" * 40, "-1", "0", "1e309", "NaN", "<script>alert(1)</script>",
    "' OR 1=1 --", "🦜" * 300, "Ā" * 6000, "\u202e", "2026-02-30", "31/12/1899", "../../etc/passwd", "%00",
]
FORM_FIELDS = {
    "/cases/new/": list(registration_form()),
    "/cases/{code}/step/identified/": ["identified_on", "authority", "document"],
    "/cases/{code}/step/closed/": ["reason", "closed_on"],
    "/cases/{code}/step/not_victim/": ["reason"],
    "/cases/{code}/identity/edit/": ["full_name", "other_names", "date_of_birth", "id_number", "phone", "address",
                                     "family_contacts", "notes"],
    "/cases/{code}/consent/": ["purpose", "agency_kind", "decision", "given_by", "method", "guardian_name",
                               "witness_name", "effective_on", "note"],
    "/cases/{code}/consent/withdraw/": ["purpose", "agency_kind", "given_by", "method", "guardian_name",
                                        "witness_name"],
    "/cases/{code}/assign/": ["worker"],
    "/cases/break-glass/": ["code", "reason"],
    "/accounts/tokens/": ["name"],
}
GET_FIELDS = {
    "/cases/": ["q", "status", "category", "sex", "received_from", "received_to", "sort", "page"],
    "/audit/": ["action", "user", "case", "date_from", "date_to", "page"],
    "/cases/communes/": ["home_province"],
    "/cases/{code}/seen-by/": ["page"],
    "/cases/{code}/consent/": ["names"],
}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_form_values_never_cause_a_server_error(world, as_user, value):
    supervisor = as_user(world.supervisor)
    cases, consents = Case.objects.count(), ConsentRecord.objects.count()
    for route, fields in FORM_FIELDS.items():
        url = route.format(code=world.case.code)
        response = supervisor.post(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, (url, value)
    assert Case.objects.count() == cases
    assert ConsentRecord.objects.count() == consents


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_values_never_cause_a_server_error(world, as_user, value):
    clients = [as_user(world.supervisor), as_user(world.auditor)]
    for route, fields in GET_FIELDS.items():
        url = route.format(code=world.case.code)
        for client in clients:
            assert client.get(url, dict.fromkeys(fields, value)).status_code < 500, (url, value)


def test_a_rejected_request_writes_no_audit_event(world, owner):
    before = AuditEvent.objects.count()
    owner.post("/cases/new/", registration_form(received_on="not a date"))
    owner.post(f"/cases/{world.case.code}/step/closed/", {"reason": ""})
    owner.post(f"/cases/{world.case.code}/consent/", {"purpose": "nope"})
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("url", ["/accounts/tokens/{big}/revoke/", "/cases/signoffs/{big}/sign/",
                                 "/cases/break-glass/{big}/review/"])
def test_identifiers_beyond_the_database_range_are_simply_not_there(world, as_user, url):
    response = as_user(world.supervisor).post(url.format(big="9" * 30), {"decision": "approved"})
    assert response.status_code in (302, 404)
