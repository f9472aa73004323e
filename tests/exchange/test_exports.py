"""De-identified exports are k-anonymous and hold no identity; identity exports are encrypted; all audited."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
import pyzipper

from haven.audit.models import AuditEvent
from haven.cases.models import PersonIdentity
from haven.core.errors import HavenError, PermissionDenied
from haven.exchange.exports import export_submit, identity_export_submit, vocabulary
from haven.exchange.importer import import_submit
from haven.exchange.jobs import read_result
from haven.exchange.models import JobStatus
from tests.exchange.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db
PASSWORD = "đúng-ngựa-pin-42"


@pytest.fixture
def victims(world):  # noqa: ANN201
    """60 identified victims with common attributes, plus a few with rare ones that k must hide."""
    rows = [row(i, received_on=f"20{18 + i % 3}-07-03", identified_on=f"20{18 + i % 3}-07-20",
                date_of_birth=f"{1995 + i % 2}-01-0{1 + i % 9}") for i in range(1, 61)]
    rows += [row(61, nationality="LA", destination_country="TH", sex="male"),
             row(62, date_of_birth="1960-02-02", destination_country="MY"),
             row(63, sex="other", destination_country="KR")]
    job = import_submit(acting_user=world.supervisor, content=csv_bytes(rows), filename="lc.csv")
    assert job.status == JobStatus.SUCCEEDED, (job.message, job.report)
    return rows


def _rows(job) -> list[dict[str, str]]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(read_result(job).decode("utf-8"))))


@pytest.mark.parametrize("kind", ["htcds", "ctdc"])
def test_every_quasi_identifier_combination_appears_at_least_k_times(world, victims, kind):
    job = export_submit(acting_user=world.statistician, kind=kind, k=5)
    assert job.status == JobStatus.SUCCEEDED, job.message
    rows = _rows(job)
    qis = vocabulary()["quasi_identifiers"][kind]
    counts = Counter(tuple(r[q] for q in qis) for r in rows)
    assert rows and min(counts.values()) >= 5
    assert job.report["suppressed"] >= 1 and len(rows) + job.report["suppressed"] == job.report["cases"]


def test_the_default_k_is_eleven_as_the_global_dataset(world, victims):
    job = export_submit(acting_user=world.statistician, kind="ctdc")
    counts = Counter(tuple(r[q] for q in vocabulary()["quasi_identifiers"]["ctdc"]) for r in _rows(job))
    assert job.report["k"] == 11 and min(counts.values()) >= 11


@pytest.mark.parametrize("kind", ["htcds", "ctdc"])
def test_no_identity_value_is_in_a_deidentified_export(world, victims, kind):
    text = read_result(export_submit(acting_user=world.supervisor, kind=kind, k=2)).decode("utf-8")
    identities = PersonIdentity.objects.all()
    assert identities.count() > 60
    for identity in identities:
        for value in (identity.full_name, identity.id_number, identity.date_of_birth, identity.phone):
            assert not value or value not in text
    assert "LC-2019" not in text and "HV-" not in text  # no source reference, no case code


def test_the_ctdc_file_has_the_27_variables_in_the_codebook_order(world, victims):
    job = export_submit(acting_user=world.statistician, kind="ctdc", k=2)
    header = read_result(job).decode("utf-8").splitlines()[0].split(",")
    assert len(header) == 27 and header[:5] == ["yearOfRegistration", "gender", "ageBroad", "citizenship",
                                                 "CountryOfExploitation"]
    first = _rows(job)[0]
    assert first["citizenship"] == "VNM" and first["gender"] == "Woman" and first["meansThreats"] == "1"
    assert first["traffickMonths"] == ""  # not recorded in Haven


def test_a_supervisor_exports_only_their_agencys_cases(world, victims):
    from tests.factories import register

    register(world.other_caseworker, full_name="Lò Thị Ca", category="victim")
    job = export_submit(acting_user=world.other_supervisor, kind="htcds", k=2)
    assert job.report["cases"] == 1  # their own victim, none of the 63 of the border post


def test_every_export_is_audited(world, victims):
    for kind in ("htcds", "ctdc"):
        job = export_submit(acting_user=world.statistician, kind=kind, k=3)
        event = AuditEvent.objects.get(action="export", object_type="export", object_id=str(job.pk))
        assert event.changes["kind"] == job.kind and event.changes["k"] == 3
    job = identity_export_submit(acting_user=world.supervisor, password=PASSWORD,
                                 reason="Chuyển hồ sơ cho Sở Y tế theo công văn số 12")
    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.changes["rows"] == job.report["rows"] and "Chuyển" not in str(event.changes)
    per_case = AuditEvent.objects.filter(action="view_identity", reason="export", actor=world.supervisor)
    assert per_case.count() == job.report["rows"]


@pytest.mark.parametrize("persona", ["owner_caseworker", "auditor", "system_admin"])
def test_deidentified_exports_are_for_statisticians_and_supervisors(world, persona):
    with pytest.raises(PermissionDenied):
        export_submit(acting_user=getattr(world, persona), kind="htcds")


def test_the_identity_zip_opens_only_with_the_password_and_holds_the_names(world, victims):
    job = identity_export_submit(acting_user=world.supervisor, password=PASSWORD,
                                 reason="Chuyển hồ sơ cho Sở Y tế theo công văn số 12")
    assert job.status == JobStatus.SUCCEEDED, job.message
    data = read_result(job)
    assert "Giàng".encode() not in data and b"087100000001" not in data
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        with pytest.raises(RuntimeError):
            archive.read("identities.csv", pwd=b"wrong-password-123")
        text = archive.read("identities.csv", pwd=PASSWORD.encode()).decode("utf-8-sig")
    assert "Giàng Thị Mỷ Số1" in text and "087100000001" in text and world.case.code in text
    assert "password" not in str(job.params) and PASSWORD not in str(job.params)


def test_a_password_shorter_than_12_characters_is_refused(world):
    with pytest.raises(HavenError) as error:
        identity_export_submit(acting_user=world.supervisor, password="ngắn-quá-1",
                               reason="Chuyển hồ sơ cho Sở Y tế theo công văn số 12")
    assert error.value.field == "password"


def test_an_identity_export_needs_a_written_reason(world):
    with pytest.raises(HavenError) as error:
        identity_export_submit(acting_user=world.supervisor, password=PASSWORD, reason="cần")
    assert error.value.field == "reason"


@pytest.mark.parametrize("persona", ["owner_caseworker", "statistician", "auditor", "system_admin"])
def test_only_supervisors_export_identities(world, persona):
    with pytest.raises(PermissionDenied):
        identity_export_submit(acting_user=getattr(world, persona), password=PASSWORD,
                               reason="Chuyển hồ sơ cho Sở Y tế theo công văn số 12")
