"""The rights statement PDF: real PDF, both languages, diacritics intact, refusals explained, logged."""

import io

import pytest
from pypdf import PdfReader

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.services import case_identify, case_start_verification
from haven.entitlements.services import application_create, application_decide, facts_update
from haven.entitlements.statement import statement_pdf
from tests.factories import access, register

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def victim(world):
    case = register(world.owner_caseworker, received_on="2024-03-01", full_name="Lý Thị Mỷ Đường")
    got = access(world.owner_caseworker, case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on="2024-03-05", authority="Công an tỉnh Lào Cai", document="12/QĐ")
    facts_update(access=got, changes={"poor_household": False})
    application = application_create(access=got, item="vocational_training", received_on="2024-06-03")
    application_decide(access=got, application_id=application.pk, decision="rejected", decided_on="2024-06-20",
                       note="Lớp học nghề không mở trong năm")
    return got


def test_the_statement_is_a_real_pdf_of_one_or_two_pages(victim):
    pdf = statement_pdf(victim, language="vi")
    assert pdf.startswith(b"%PDF-")
    assert 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 2


def test_the_vietnamese_statement_keeps_diacritics_and_says_why_support_was_refused(victim):
    text = _text(statement_pdf(victim, language="vi"))
    assert "Lý Thị Mỷ Đường" in text
    assert "hộ nghèo" in text  # the hardship allowance refusal names the poor-household rule
    assert "Lớp học nghề không mở trong năm" in text
    assert "Điều 23" in text


def test_the_english_statement_is_in_english(victim):
    text = _text(statement_pdf(victim, language="en"))
    assert "poor" in text and "Decree 09/2013" in text and "111" in text


def test_producing_a_statement_is_logged(victim):
    statement_pdf(victim, language="en")
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="rights_statement").get()
    assert event.case_id == victim.case.pk and event.reason == "en"


def test_a_referred_agency_without_the_name_gets_a_statement_without_it(world, victim):
    from haven.cases.selectors import CaseAccess, Relationship

    outsider = CaseAccess(victim.case, world.other_caseworker, Relationship.REFERRAL, frozenset({"phone"}))
    assert "Lý Thị Mỷ Đường" not in _text(statement_pdf(outsider, language="vi"))
