"""The import writes its rows without the ORM's bulk_create (haven.exchange.bulk): what it stores must be
what the ORM would have stored — defaults, timestamps, sealed fields, JSON lists — with ids that never
collide with cases registered before or after, across chunks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from haven.audit.models import AuditEvent
from haven.audit.services import audit_verify
from haven.cases.models import Case, NameToken, PersonIdentity
from haven.cases.selectors import case_search
from haven.cases.services import _indexes, _token_indexes
from haven.exchange import importer
from haven.exchange.importer import import_submit
from haven.exchange.models import JobStatus
from tests.exchange.conftest import HEADER, csv_bytes, row
from tests.factories import register

pytestmark = pytest.mark.django_db

CLOSED_HEADER = [*HEADER, "closed_on", "phone", "languages"]


def _import(user, rows, header=None):  # noqa: ANN001, ANN202
    job = import_submit(acting_user=user, content=csv_bytes(rows, header), filename="ho-so-cu.csv")
    assert job.status == JobStatus.SUCCEEDED, (job.message, job.report)
    return job


def _sealed(column: str, person_ids: list[int]) -> list[str]:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(person_ids))
        cursor.execute(f"SELECT {column} FROM cases_personidentity WHERE person_id IN ({marks})",  # noqa: S608
                       person_ids)
        return [r[0] for r in cursor.fetchall()]


def test_ids_never_collide_with_cases_registered_before_or_after_and_across_chunks(world, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)  # five rows in three chunks
    before = register(world.owner_caseworker)
    _import(world.supervisor, [row(i) for i in range(1, 6)])
    after = register(world.owner_caseworker)
    imported = list(Case.objects.filter(import_source__agency=world.owner_agency).order_by("pk"))
    ids = [before.pk, *(c.pk for c in imported), after.pk]
    assert len(imported) == 5 and ids == sorted(set(ids))  # distinct and increasing: the sequence moved on
    assert after.person_id > max(c.person_id for c in imported)
    for case in imported:
        assert case.import_source.case_id == case.pk and case.person.identity.person_id == case.person_id
        assert NameToken.objects.filter(person_id=case.person_id).count() == 4  # giang, thi, my, so<n>


def test_stored_values_are_the_ones_the_orm_would_store(world):
    rows = [row(1, status="closed", closed_on="2020-02-01", phone="0912 345 678", languages="hmong;vi"),
            row(2, status="support", phone="", languages="")]
    _import(world.supervisor, rows, CLOSED_HEADER)
    closed = Case.objects.get(import_source__source_ref="LC-2019-0001")
    open_ = Case.objects.get(import_source__source_ref="LC-2019-0002")
    with translation.override(world.supervisor.preferred_language or "en"):  # the job runs in its owner's language
        reason = gettext("Imported historical record")
    assert (closed.status, str(closed.closed_on), closed.closure_reason) == ("closed", "2020-02-01", reason)
    assert (open_.status, open_.closed_on, open_.closure_reason, open_.not_victim_reason) == ("support", None, "", "")
    assert closed.created_at is not None and closed.updated_at is not None and closed.created_by == world.supervisor
    assert (closed.assigned_worker, closed.receiving_agency) == (world.supervisor, world.owner_agency)
    assert open_.means_of_control == ["threats"] and open_.identification_document == ""
    assert closed.person.languages == ["hmn", "vi"] and open_.person.languages == []
    assert closed.person.created_at is not None and closed.person.nationality == "VN"
    first, second = (PersonIdentity.objects.get(person=c.person) for c in (closed, open_))
    assert (first.phone, second.phone, second.address, second.notes) == ("0912 345 678", "", "", "")
    assert first.id_number == "087100000001" and first.id_number_bidx and first.name_dob_bidx


def test_every_non_empty_value_is_sealed_on_its_own(world):
    _import(world.supervisor, [row(i, full_name="Lò Thị Dua") for i in range(1, 4)])
    people = list(Case.objects.filter(import_source__agency=world.owner_agency).values_list("person_id", flat=True))
    names = _sealed("full_name", people)
    assert len(set(names)) == 3 and all(n.startswith("hv1:") for n in names)  # same name, three ciphertexts
    assert {p.full_name for p in PersonIdentity.objects.filter(person_id__in=people)} == {"Lò Thị Dua"}
    # The empty phone is one ciphertext of "" per file: it still decrypts to "" and hides nothing more
    # than the length (which every ciphertext shows).
    phones = _sealed("phone", people)
    assert all(p.startswith("hv1:") for p in phones) and len(set(phones)) == 1


def test_the_audit_chain_still_verifies_after_an_import(world, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)
    _import(world.supervisor, [row(i) for i in range(1, 6)])
    register(world.owner_caseworker)  # an event after the import's, through the usual path
    result = audit_verify()
    assert result.ok, result.problem
    events = AuditEvent.objects.filter(object_type="case", action="create", actor=world.supervisor)
    assert events.count() == 5
    assert all(e.case_id == int(e.object_id) and e.changes["imported"] is True for e in events)
    assert all("full_name" in e.fields and "id_number_bidx" not in e.fields for e in events)


def test_name_tokens_and_blind_indexes_are_the_ones_registration_computes(world):
    _import(world.supervisor, [row(1, full_name="Nguyễn Thị Mai"), row(2, full_name="Nguyễn Văn Mai")])
    for case in Case.objects.filter(import_source__agency=world.owner_agency).select_related("person__identity"):
        identity = case.person.identity
        stored = set(NameToken.objects.filter(person=case.person).values_list("token_bidx", flat=True))
        assert stored == _token_indexes(identity.full_name, identity.other_names)
        expected = _indexes(identity.full_name, identity.date_of_birth, identity.id_number)
        assert {k: getattr(identity, k) for k in expected} == expected
    assert case_search(world.supervisor, "nguyen mai").count() == 2


def test_a_date_in_the_future_is_rejected_and_nothing_is_saved(world):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    rows = [row(1), row(2, received_on=tomorrow, identified_on=tomorrow), row(3, date_of_birth=tomorrow)]
    job = import_submit(acting_user=world.supervisor, content=csv_bytes(rows), filename="tuong-lai.csv")
    assert job.status == JobStatus.FAILED and not Case.objects.filter(import_source__agency=world.owner_agency).exists()
    with translation.override(world.supervisor.preferred_language or "en"):
        message = gettext("The date cannot be in the future.")
    found = {(e["row"], e["field"]) for e in job.report["errors"] if e["message"] == message}
    assert {(3, "received_on"), (3, "identified_on"), (4, "date_of_birth")} <= found
