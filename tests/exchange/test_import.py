"""Importing historical cases: validated row by row, all or nothing, idempotent, searchable afterwards."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection

from haven.audit.models import AuditEvent
from haven.cases.models import Case, PersonIdentity
from haven.cases.selectors import case_search
from haven.core.errors import PermissionDenied
from haven.exchange.importer import import_submit
from haven.exchange.models import ImportedCase, JobStatus
from tests.exchange.conftest import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db


def _import(user, content: bytes, name: str = "tinh-lao-cai-2019.csv", **kw):  # noqa: ANN001, ANN202
    return import_submit(acting_user=user, content=content, filename=name, **kw)


def test_a_valid_file_creates_every_case_sealed_and_audited(world):
    before = Case.objects.count()
    job = _import(world.supervisor, csv_bytes([row(i) for i in range(1, 6)]))
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.report["created"] == 5
    cases = Case.objects.filter(import_source__agency=world.owner_agency)
    assert cases.count() == 5 and Case.objects.count() == before + 5
    case = cases.get(import_source__source_ref="LC-2019-0001")
    assert case.status == "identified" and case.owner_agency == world.owner_agency
    assert str(case.identified_on) == "2019-07-20" and case.exploitation_types == ["forced_marriage"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_personidentity WHERE person_id = %s", [case.person_id])
        assert cursor.fetchone()[0].startswith("hv1:")  # sealed in the database
    assert PersonIdentity.objects.get(person=case.person).full_name == "Giàng Thị Mỷ Số1"
    assert AuditEvent.objects.filter(object_type="case", object_id=str(case.pk), action="create").exists()
    assert AuditEvent.objects.filter(object_type="import_file").count() == 1


def test_rejected_rows_are_reported_with_their_reasons_and_nothing_is_saved(world):
    before = Case.objects.count()
    rows = [row(1), row(2, sex="robot"), row(3, received_on="2019-13-40"), row(4, full_name=""), row(5)]
    job = _import(world.supervisor, csv_bytes(rows))
    assert job.status == JobStatus.FAILED
    assert Case.objects.count() == before and not ImportedCase.objects.exists()
    assert job.report["rejected"] == 3
    reasons = {(e["row"], e["field"]) for e in job.report["errors"]}
    assert {(3, "sex"), (4, "received_on"), (5, "full_name")} <= reasons


def test_the_report_is_in_the_owners_language(world):
    world.supervisor.preferred_language = "vi"
    world.supervisor.save()
    job = _import(world.supervisor, csv_bytes([row(1, received_on="ngày mai")]))
    message = next(e["message"] for e in job.report["errors"] if e["field"] == "received_on")
    assert message != "Enter a date as YYYY-MM-DD."


def test_one_bad_row_among_many_keeps_the_whole_file_out(world):
    rows = [row(i) for i in range(1, 40)] + [row(40, identified_on="2019-01-01")]  # before reception
    job = _import(world.supervisor, csv_bytes(rows))
    assert job.status == JobStatus.FAILED
    assert job.report["errors"] == [{"row": 41, "field": "identified_on",
                                     "message": job.report["errors"][0]["message"]}]
    assert not ImportedCase.objects.exists()


def test_importing_the_same_file_again_creates_nothing(world):
    content = csv_bytes([row(i) for i in range(1, 4)])
    _import(world.supervisor, content)
    count = Case.objects.count()
    again = _import(world.supervisor, content)
    assert again.status == JobStatus.SUCCEEDED and again.report.get("already_imported")
    assert Case.objects.count() == count


def test_rows_already_imported_from_another_file_are_skipped(world):
    _import(world.supervisor, csv_bytes([row(1), row(2)]))
    count = Case.objects.count()
    job = _import(world.supervisor, csv_bytes([row(1), row(2), row(3)]), name="bo-sung.csv")
    assert job.status == JobStatus.SUCCEEDED
    assert (job.report["created"], job.report["skipped"]) == (1, 2)
    assert Case.objects.count() == count + 1


def test_a_person_already_registered_is_rejected_as_a_possible_duplicate(world):
    identity = world.case.person.identity
    job = _import(world.supervisor, csv_bytes([row(1, id_number=identity.id_number)]))
    assert job.status == JobStatus.FAILED
    assert job.report["errors"][0]["field"] == "id_number"


def test_vietnamese_headers_and_labels_and_diacritics_import_and_search_finds_the_names(world):
    header = ["Mã hồ sơ gốc", "Họ và tên", "Giới tính", "Ngày sinh", "Diện", "Ngày tiếp nhận", "Nơi tiếp nhận",
              "Hình thức trở về", "Dân tộc"]
    lines = ["Mã hồ sơ gốc,Họ và tên,Giới tính,Ngày sinh,Diện,Ngày tiếp nhận,Nơi tiếp nhận,Hình thức trở về,Dân tộc",
             "HG-07,Nguyễn Thị Hoà Đặng,Nữ,17/05/2003,Nạn nhân,03/07/2019,Cửa khẩu Lào Cai,rescued,Kinh"]
    assert header[0] in lines[0]
    job = _import(world.supervisor, "\n".join(lines).encode("utf-8-sig"))
    assert job.status == JobStatus.SUCCEEDED, (job.message, job.report)
    found = list(case_search(world.supervisor, "nguyen thi hoa dang"))
    assert [c.import_source.source_ref for c in found] == ["HG-07"]
    assert found[0].person.sex == "female" and found[0].category == "victim"
    assert str(found[0].received_on) == "2019-07-03"


def test_an_xlsx_workbook_imports_like_a_csv(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in (1, 2):
        sheet.append([row(i)[h] for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _import(world.supervisor, buffer.getvalue(), name="so-lieu.xlsx")
    assert job.status == JobStatus.SUCCEEDED, (job.message, job.report)
    assert job.report["created"] == 2


def test_a_dry_run_checks_every_row_and_saves_nothing(world):
    count = Case.objects.count()
    job = _import(world.supervisor, csv_bytes([row(1), row(2)]), dry_run=True)
    assert job.status == JobStatus.SUCCEEDED and job.report["would_create"] == 2
    assert Case.objects.count() == count


def test_an_unknown_column_fails_the_file_with_its_name(world):
    job = _import(world.supervisor, b"source_ref,full_name,favourite_colour\nA,B,C\n")
    assert job.status == JobStatus.FAILED and "favourite_colour" in job.message


@pytest.mark.parametrize("persona", ["statistician", "auditor", "system_admin"])
def test_only_caseworkers_and_supervisors_import(world, persona):
    with pytest.raises(PermissionDenied):
        _import(getattr(world, persona), csv_bytes([row(1)]))
