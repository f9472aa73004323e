"""The evaluation report: the PDF in both languages, the pseudonymisation safeguard, withdrawn consent, the audit
event, bad parameters, the quotation flag, the page, the API and the commands."""

from __future__ import annotations

import io
import json
import os
import stat
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from haven.audit.models import AuditAction, AuditEvent
from haven.core.errors import HavenError, NotFound
from haven.research import coding, report, services
from haven.research import scorecard as scorecards
from haven.research.models import CodedSegment, Scorecard
from haven.research.selectors import access_study
from tests.conftest import login
from tests.research.conftest import Setup, build, research_consent

pytestmark = pytest.mark.django_db

# The world's case is registered as "Đặng Thị Ngọc" with the phone "0912 345 678" (tests/factories.py).
REAL_NAME_TEXT = (
    "NN-01 kể: Em là Đặng Thị Ngọc, về nhà được ba tháng. Có người lạ gọi vào số 0912 345 678 của em "
    "và hỏi số căn cước 001203004567. Chị Ngọc không dám nghe máy nữa, mẹ em gọi em là dang thi ngoc."
)
VICTIM_SUMMARY = "Chị NGỌC sợ vì bị gọi vào số 0912.345.678; Ngọclan là tên khác, không phải chị."
OFFICIAL_SUMMARY = "Cán bộ kể đã gặp chị Ngoc ở cửa khẩu; thiếu phiên dịch tiếng Mông."


@dataclass
class Material:
    setup: Setup
    quote_victim: CodedSegment
    quote_official: CodedSegment


def add_material(setup: Setup) -> Material:
    """A victim interview that names the person and gives her numbers, coded, summarised and quoted; the
    official's segment quoted too."""
    lead = setup.lead
    interview = services.interview_add(access=lead, participant_id=setup.victim.pk, held_on="2025-07-01",
                                       kind="notes", text=REAL_NAME_TEXT)
    start = REAL_NAME_TEXT.index("Em là")
    segment = coding.segment_add(access=lead, interview_id=interview.pk, theme_id=setup.themes["support"].pk,
                                 start=start, end=len(REAL_NAME_TEXT))
    coding.cell_save(access=lead, participant_id=setup.victim.pk, theme_id=setup.themes["support"].pk,
                     summary=VICTIM_SUMMARY, segment_ids=[segment.pk])
    coding.cell_save(access=lead, participant_id=setup.official.pk, theme_id=setup.themes["reception"].pk,
                     summary=OFFICIAL_SUMMARY, segment_ids=[setup.segments["official"].pk])
    report.segment_quote_set(access=lead, segment_id=segment.pk, quoted=True)
    report.segment_quote_set(access=lead, segment_id=setup.segments["official"].pk, quoted=True)
    return Material(setup, segment, setup.segments["official"])


@pytest.fixture(scope="module", autouse=True)
def compiled_translations() -> None:
    from django.utils import translation
    from django.utils.translation import trans_real

    call_command("compiletranslations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    translation.deactivate()


@pytest.fixture
def m(world) -> Material:
    return add_material(build(world))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with line breaks joined, so a wrapped sentence reads as one."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def last_event() -> int:
    """The id of the newest audit event (ids are not counts on PostgreSQL, where sequences outlive a test)."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def names_the_victim(text: str) -> bool:
    """Whether her real name (any accents, any case, as a whole word) is in the text."""
    return "ngoc" in report._fold(text)[0].replace("ngoclan", "")


def make(setup: Setup, **kwargs: Any) -> str:
    return pdf_text(report.report_pdf(setup.lead, report.report_options(setup.lead, **kwargs)))


# --- The PDF -------------------------------------------------------------------------------------------------


def test_the_report_is_a_pdf_with_page_numbers_and_the_confidential_footer(m):
    pdf = report.report_pdf(m.setup.lead, report.report_options(m.setup.lead, language="en"))
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Confidential — pseudonymised" in text
    assert "Page 1/" in text


def test_english_and_vietnamese_headings_differ(m):
    en = make(m.setup, language="en")
    vi = make(m.setup, language="vi")
    assert "Lead agency" in en and "Age group" in en and "framework analysis" in en
    assert "Cơ quan chủ trì" in vi and "Nhóm tuổi" in vi and "Giới tính" in vi
    assert "Lead agency" not in vi and "Age group" not in vi
    assert "01/01/2025" in vi and "1 Jan 2025" in en  # the study's period, as each language writes dates


def test_study_title_purpose_and_participant_counts_are_printed(m):
    text = make(m.setup, language="en")
    assert m.setup.study.title in text and "Phân tích khung" in text
    assert "interviews with 3 participants" in text
    assert "3 interviews were analysed" in text


def test_summaries_and_quotations_appear_under_pseudonyms_attributed_by_role(m):
    text = make(m.setup, language="en")
    assert "NN-01" in text and "CB-01" in text
    assert "thiếu phiên dịch tiếng Mông" in text  # the official's quotation
    assert "CB-01, official, Border guard, male, aged 25–39" in text
    assert "NN-01, victim, female, aged 18–24" in text
    assert "không dám nghe máy nữa" in text  # the victim's quotation


def test_the_victims_real_name_is_replaced_by_the_pseudonym_everywhere(m):
    text = make(m.setup, language="vi")
    assert not names_the_victim(text)
    assert "Ngọclan" in text  # whole words only: another name is left alone
    assert "Em là NN-01" in text and "Chị NN-01 không dám" in text and "gọi em là NN-01" in text
    assert "Chị NN-01 sợ" in text  # the summary, written in capitals
    assert "gặp chị NN-01 ở cửa khẩu" in text  # named by an official


def test_long_numbers_are_hidden(m):
    text = make(m.setup, language="vi")
    assert "0912" not in text and "345 678" not in text and "001203004567" not in text
    assert "số […] của em" in text and "số căn cước […]" in text and "số […];" in text


def test_the_names_are_read_from_the_sealed_identity_as_an_audited_read(m):
    before = last_event()
    make(m.setup, language="en")
    reads = AuditEvent.objects.filter(pk__gt=before, object_type="person")
    assert [(e.action, e.fields, e.reason, e.case_id) for e in reads] == [
        (AuditAction.VIEW_IDENTITY, ["full_name"], "evaluation_report_pseudonymisation", m.setup.victim.case_id)]


def test_a_withdrawn_consent_removes_the_victim_from_the_next_report(m, world):
    assert "NN-01" in make(m.setup, language="en")
    research_consent(world, world.case, "withdrawn")
    text = make(m.setup, language="en")
    assert "NN-01" not in text and "không dám nghe máy" not in text and "người lạ" not in text
    assert "interviews with 2 participants" in text and "1 interview was analysed" in text
    assert "victim" not in text.split("Rights scorecard")[0].split("Role in the study")[1]
    assert "gặp chị […] ở cửa khẩu" in text  # an official's words keep her out too, pseudonym and all
    event = AuditEvent.objects.filter(object_type="evaluation_report").latest("seq")
    assert event.changes["quotations"] == 1 and event.changes["participants"] == 2


def test_an_official_who_withdraws_is_not_counted_or_quoted(m):
    services.official_consent_set(access=m.setup.lead, participant_id=m.setup.official.pk, decision="withdrawn")
    text = make(m.setup, language="en")
    assert "CB-01" not in text and "thiếu phiên dịch tiếng Mông" not in text
    assert "interviews with 2 participants" in text and "NN-01" in text


def test_only_the_chosen_themes_and_rows_are_printed(m):
    support = m.setup.themes["support"]
    text = make(m.setup, language="en", theme_ids=[support.pk], filters={"kind": "victim"})
    assert support.name in text and "Tiếp nhận" not in text
    assert "CB-01" not in text and "NN-01" in text
    assert "interviews with 1 participant," in text


def test_a_quotation_of_a_sub_theme_is_printed_under_its_chosen_parent(m):
    reception = m.setup.themes["reception"]
    text = make(m.setup, language="en", theme_ids=[reception.pk])
    assert "thiếu phiên dịch tiếng Mông" in text  # coded with "Phiên dịch", under "Tiếp nhận"


def test_quotations_can_be_left_out(m):
    text = make(m.setup, language="en", quotations=False)
    assert "không dám nghe máy" not in text and "NN-01" in text  # the summary stays


def test_without_a_scorecard_the_report_says_so(m):
    assert "No scorecard was selected for this report." in make(m.setup, language="en")


def test_the_chosen_scorecard_is_printed_with_ratings_and_pseudonymised_notes(m):
    card = scorecards.scorecard_create(access=m.setup.lead, title="Thẻ điểm Lào Cai 2025", period_start="2025-01-01",
                                       period_end="2025-12-31")
    scorecards.rating_set(access=m.setup.researcher, scorecard=card, indicator="information.rule", rating="partly",
                          note="Chị Đặng Thị Ngọc (0912 345 678) chưa được thông tin về quyền.")
    before = last_event()
    text = make(m.setup, language="en", scorecard_id=card.pk)
    assert "Thẻ điểm Lào Cai 2025" in text and "Partly met" in text and "No scorecard was selected" not in text
    assert "Chị NN-01 ([…]) chưa được thông tin về quyền." in text and not names_the_victim(text)
    event = AuditEvent.objects.get(pk__gt=before, object_type="evaluation_report")
    assert event.changes["scorecard"] == card.pk
    assert AuditEvent.objects.filter(pk__gt=before, object_type="research_scorecard_rating", fields=["note"]).exists()


def test_the_export_is_audited_without_any_text(m):
    before = last_event()
    make(m.setup, language="en", theme_ids=[m.setup.themes["support"].pk])
    event = AuditEvent.objects.get(pk__gt=before, object_type="evaluation_report")
    assert event.action == AuditAction.EXPORT and event.actor == m.setup.lead.user
    assert event.changes["themes"] == [m.setup.themes["support"].pk]
    assert event.changes["scorecard"] is None and event.changes["quotations"] == 1
    recorded = json.dumps([event.changes, event.fields, event.reason], ensure_ascii=False)
    for secret in ("Ngọc", "nghe máy", "0912", "NN-01", "Hỗ trợ"):
        assert secret not in recorded
    cells = AuditEvent.objects.filter(pk__gt=before, object_type="research_cell")
    assert [e.fields for e in cells] == [["summary"]]


# --- The safeguard itself ------------------------------------------------------------------------------------


def test_the_safeguard_matches_whole_words_without_accents_or_case():
    safe = report.Pseudonymiser([("Đặng Thị Ngọc", "NN-01"), ("Ngọc", "NN-01")])
    assert safe.clean("ĐẶNG  THỊ NGỌC và dang thi ngoc, Ngoc.") == "NN-01 và NN-01, NN-01."
    assert safe.clean("Ngọclan, ngọc trai") == "Ngọclan, NN-01 trai"  # a whole word, even when ambiguous


def test_the_safeguard_hides_nine_digits_or_more_but_not_amounts():
    safe = report.Pseudonymiser([])
    assert safe.clean("gọi 0912-345-678 hoặc 0912345678, CCCD 001 203 004 567") == "gọi […] hoặc […], CCCD […]"
    assert safe.clean("400.000 đồng, 30 000 đồng/ngày, 12345678") == "400.000 đồng, 30 000 đồng/ngày, 12345678"


# --- Bad parameters ------------------------------------------------------------------------------------------


def test_a_theme_of_another_study_is_refused(m, world):
    other = services.study_create(acting_user=world.other_caseworker, title="Nghiên cứu khác",
                                  period_start="2025-01-01", period_end="2025-12-31")
    foreign = coding.theme_add(access=access_study(world.other_caseworker, other.pk), name="Khác")
    for bad in ([foreign.pk], ["abc"], [999999]):
        with pytest.raises(HavenError) as error:
            report.report_options(m.setup.lead, theme_ids=bad)
        assert error.value.field == "theme"


def test_a_bad_language_scorecard_or_filter_is_refused(m, world):
    other = services.study_create(acting_user=world.other_caseworker, title="Nghiên cứu khác",
                                  period_start="2025-01-01", period_end="2025-12-31")
    foreign = Scorecard.objects.create(study=other, title="Khác", period_start="2025-01-01",
                                       period_end="2025-12-31", created_by=world.other_caseworker)
    cases = [({"language": "fr"}, "lang"), ({"scorecard_id": foreign.pk}, "scorecard"),
             ({"scorecard_id": "x"}, "scorecard"), ({"filters": {"sex": "robot"}}, "sex")]
    for kwargs, name in cases:
        with pytest.raises(HavenError) as error:
            report.report_options(m.setup.lead, **kwargs)
        assert error.value.field == name


def test_the_page_shows_a_bad_parameter_as_an_error_not_a_crash(m, world):
    client = login(Client(), world.owner_caseworker)
    client.cookies["django_language"] = "en"
    for url in (f"/research/{m.setup.study.pk}/report/?sent=1&theme=999999",
                f"/research/{m.setup.study.pk}/report.pdf?sent=1&lang=fr",
                f"/research/{m.setup.study.pk}/report.pdf?sent=1&scorecard=abc"):
        response = client.get(url)
        assert response.status_code == 400 and b"msg error" in response.content
    assert not AuditEvent.objects.filter(object_type="evaluation_report").exists()


def test_the_api_refuses_bad_parameters_in_the_error_shape(m, api):
    client = api(m.setup.lead.user)
    base = f"/api/research/studies/{m.setup.study.pk}/report.pdf"
    response = client.request("GET", base + "?theme_id=999999")
    assert response.status_code == 400 and response.json()["field"] == "theme"
    response = client.request("GET", base + "?lang=fr")
    assert response.status_code == 422 and response.json()["code"]
    response = client.request("GET", base + "?agency_kind=spaceship")
    assert response.status_code == 400 and response.json()["field"] == "agency_kind"


# --- Choosing quotations -------------------------------------------------------------------------------------


def test_the_quotation_flag_is_set_and_cleared_and_audited(m):
    segment = m.setup.segments["victim"]
    before = last_event()
    report.segment_quote_set(access=m.setup.researcher, segment_id=segment.pk, quoted=True)
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is True
    report.segment_quote_set(access=m.setup.researcher, segment_id=segment.pk, quoted=False)
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is False
    events = AuditEvent.objects.filter(pk__gt=before, object_type="research_segment", object_id=str(segment.pk))
    assert [(e.action, e.changes["quoted_in_report"]) for e in events] == [
        (AuditAction.UPDATE, True), (AuditAction.UPDATE, False)]


def test_a_withdrawn_persons_segment_cannot_be_chosen(m, world):
    research_consent(world, world.case, "withdrawn")
    with pytest.raises(NotFound):
        report.segment_quote_set(access=m.setup.lead, segment_id=m.setup.segments["victim"].pk, quoted=True)
    assert list(report.quoted_segments(m.setup.lead)) == [m.quote_official]


def test_the_interview_page_has_the_button_and_it_works(m, world):
    client = login(Client(), world.owner_caseworker)
    client.cookies["django_language"] = "en"
    study, segment = m.setup.study, m.setup.segments["victim"]
    page = client.get(f"/research/{study.pk}/interviews/{segment.interview_id}/").content.decode()
    assert f"/research/{study.pk}/segments/{segment.pk}/quote/" in page and "Quote in the report" in page
    response = client.post(f"/research/{study.pk}/segments/{segment.pk}/quote/", {"quoted": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/interviews/{segment.interview_id}/")
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is True
    page = client.get(f"/research/{study.pk}/interviews/{segment.interview_id}/").content.decode()
    assert "Remove from the report" in page
    client.post(f"/research/{study.pk}/segments/{segment.pk}/quote/", {"quoted": "0"})
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is False


def test_the_api_sets_the_flag_and_lists_the_quotations(m, api):
    client = api(m.setup.researcher.user)
    segment = m.setup.segments["victim"]
    response = client.request("PUT", f"/api/research/studies/{m.setup.study.pk}/segments/{segment.pk}/quoted",
                              {"quoted": True})
    assert response.status_code == 200 and response.json()["quoted"] is True
    before = last_event()
    rows = client.request("GET", f"/api/research/studies/{m.setup.study.pk}/quotations").json()
    assert sorted(r["pseudonym"] for r in rows) == ["CB-01", "NN-01", "NN-01"]
    assert any("Đặng Thị Ngọc" in r["text"] for r in rows)  # members see the transcript as stored
    reads = AuditEvent.objects.filter(pk__gt=before, object_type="research_interview")
    assert {e.fields[0] for e in reads} == {"text"} and reads.count() == 3
    response = client.request("PUT", f"/api/research/studies/{m.setup.study.pk}/segments/{segment.pk}/quoted",
                              {"quoted": "yes"})
    assert response.status_code == 422


# --- The page, the API's PDF and the commands ----------------------------------------------------------------


def test_the_page_previews_counts_without_reading_any_text(m, world):
    client = login(Client(), world.owner_caseworker)
    client.cookies["django_language"] = "en"
    before = last_event()
    page = client.get(f"/research/{m.setup.study.pk}/report/").content.decode()
    assert 'data-count="participants">3 (2 officials, 1 victims)' in page
    assert 'data-count="quotations">2<' in page and 'data-count="interviews">3<' in page
    assert "Download PDF" in page and "nghe máy" not in page
    assert AuditEvent.objects.filter(pk__gt=before).count() == 0
    page = client.get(f"/research/{m.setup.study.pk}/report/?sent=1&kind=official&quotations=1").content.decode()
    assert 'data-count="participants">2 (2 officials, 0 victims)' in page and 'data-count="quotations">1<' in page


def test_the_page_downloads_the_pdf(m, world):
    client = login(Client(), world.other_caseworker)  # the researcher, of another agency
    response = client.get(f"/research/{m.setup.study.pk}/report.pdf?sent=1&lang=en&quotations=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="evaluation-report-{m.setup.study.pk}-en.pdf"'
    text = pdf_text(response.content)
    assert "không dám nghe máy" in text and not names_the_victim(text)


def test_the_api_returns_the_pdf(m, api):
    response = api(m.setup.lead.user).request(
        "GET", f"/api/research/studies/{m.setup.study.pk}/report.pdf?lang=en&quotations=false"
               f"&theme_id={m.setup.themes['support'].pk}&theme_id={m.setup.themes['threats'].pk}")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Hỗ trợ quá thấp" in text and "Đe dọa sau khi trở về" in text and "Tiếp nhận" not in text
    assert "nghe máy" not in text
    event = AuditEvent.objects.filter(object_type="evaluation_report").latest("seq")
    assert event.channel == "api" and event.changes["quotations"] == 0


def test_the_command_writes_the_report_readable_by_its_owner_only(m, tmp_path):
    target = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("research", "report", str(m.setup.study.pk), "--out", str(target), "--lang", "en",
                 "--theme", str(m.setup.themes["support"].pk), "--as", m.setup.lead.user.username, stdout=out)
    assert "wrote" in out.getvalue()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    text = pdf_text(target.read_bytes())
    assert "NN-01" in text and not names_the_victim(text) and "Hỗ trợ quá thấp" in text
    assert AuditEvent.objects.filter(object_type="evaluation_report").latest("seq").channel == "cli"


def test_the_command_refuses_bad_parameters_clearly(m, tmp_path):
    target = tmp_path / "report.pdf"
    user = m.setup.lead.user.username
    with pytest.raises(CommandError, match="theme"):
        call_command("research", "report", str(m.setup.study.pk), "--out", str(target), "--theme", "999999",
                     "--as", user)
    with pytest.raises(CommandError, match="scorecard"):
        call_command("research", "report", str(m.setup.study.pk), "--out", str(target), "--scorecard", "999999",
                     "--as", user)
    with pytest.raises(CommandError):
        call_command("research", "report", str(m.setup.study.pk), "--out", str(target), "--lang", "fr",
                     "--as", user)
    assert not target.exists()


def test_the_command_chooses_and_removes_a_quotation(m):
    segment = m.setup.segments["victim"]
    out = io.StringIO()
    call_command("research", "quote", str(m.setup.study.pk), str(segment.pk), "--as", m.setup.lead.user.username,
                 stdout=out)
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is True and "quoted" in out.getvalue()
    call_command("research", "quote", str(m.setup.study.pk), str(segment.pk), "--remove",
                 "--as", m.setup.lead.user.username, stdout=out)
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is False
    with pytest.raises(CommandError, match="no coded segment"):
        call_command("research", "quote", str(m.setup.study.pk), "999999", "--as", m.setup.lead.user.username)
