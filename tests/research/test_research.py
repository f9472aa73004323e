"""Behaviour of studies, coding, the matrix and the exports."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound
from haven.research import coding, refi, selectors, services
from haven.research.exports import matrix_xlsx
from haven.research.models import Interview, Participant, Theme
from tests.research.conftest import TRANSCRIPT_VICTIM, Setup, research_consent

pytestmark = pytest.mark.django_db


def _qde(setup: Setup) -> str:
    with zipfile.ZipFile(io.BytesIO(refi.qdpx_bytes(setup.lead))) as archive:
        return archive.read("project.qde").decode("utf-8")


def test_the_matrix_shows_consenting_participants_and_their_summaries(setup):
    view = selectors.matrix(setup.lead)
    assert [p.pseudonym for p in view.participants] == ["CB-01", "CB-02", "NN-01"]
    assert view.cells[(setup.victim.pk, setup.themes["threats"].pk)].summary.startswith("Bị người lạ")


def test_a_withdrawn_research_consent_removes_the_victim_from_matrix_and_exports(setup, world):
    research_consent(world, world.case, "withdrawn")
    view = selectors.matrix(setup.lead)
    assert "NN-01" not in [p.pseudonym for p in view.participants]
    assert all(key[0] != setup.victim.pk for key in view.cells)
    book = load_workbook(io.BytesIO(matrix_xlsx(setup.lead)))
    text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "NN-01" not in text and "người lạ" not in text and "CB-01" in text
    qde = _qde(setup)
    assert "NN-01" not in qde and "người lạ" not in qde and "Chị Mai" not in qde and "CB-01" in qde
    assert not selectors.memos_in_analysis(setup.study).filter(pk=setup.memo.pk).exists()


def test_a_renewed_consent_brings_the_material_back_and_it_stayed_sealed(setup, world):
    research_consent(world, world.case, "withdrawn")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM research_interview WHERE id = %s", [setup.interviews["victim"].pk])
        assert "người lạ" not in cursor.fetchone()[0]
    research_consent(world, world.case, "given")
    assert "NN-01" in [p.pseudonym for p in selectors.matrix(setup.lead).participants]


def test_an_official_who_withdraws_disappears_from_the_matrix_and_interviews(setup):
    services.official_consent_set(access=setup.lead, participant_id=setup.official.pk, decision="withdrawn")
    assert "CB-01" not in [p.pseudonym for p in selectors.matrix(setup.lead).participants]
    assert not selectors.interviews_in_analysis(setup.study).filter(pk=setup.interviews["official"].pk).exists()
    with pytest.raises(NotFound):
        selectors.interview_in_analysis(setup.lead, setup.interviews["official"].pk)


def test_a_victim_without_research_consent_cannot_be_added(setup, world):
    from tests.factories import register

    other = register(world.owner_caseworker)
    with pytest.raises(HavenError) as error:
        services.participant_add(access=setup.lead, pseudonym="NN-02", kind="victim", case_code=other.code)
    assert error.value.field == "case_code"
    assert not Participant.objects.filter(pseudonym="NN-02").exists()


def test_a_member_who_cannot_open_the_case_cannot_link_a_victim(setup, world):
    with pytest.raises(HavenError) as error:
        services.participant_add(access=setup.researcher, pseudonym="NN-09", kind="victim", case_code=world.case.code)
    assert error.value.field == "case_code"


def test_a_recording_is_refused_when_the_person_refused_it(setup):
    with pytest.raises(HavenError) as error:
        services.interview_add(access=setup.lead, participant_id=setup.victim.pk, held_on="2025-07-01",
                               kind="notes", text="Ghi chú buổi hai", recorded=True)
    assert error.value.field == "recorded"
    assert Interview.objects.filter(participant=setup.victim).count() == 1


def test_transcripts_summaries_and_memos_are_sealed_at_rest(setup):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM research_interview")
        stored = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT summary FROM research_matrixcell")
        stored += " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT text FROM research_memo")
        stored += " ".join(row[0] for row in cursor.fetchall())
    assert "phiên dịch" not in stored and "người lạ" not in stored and "Ghi chú" not in stored


def test_reading_the_matrix_is_audited_without_the_text(setup):
    before = AuditEvent.objects.count()
    selectors.matrix(setup.lead)
    events = list(AuditEvent.objects.filter(seq__gt=before))
    assert {e.object_type for e in events} == {"research_cell", "research_interview"}
    assert all("người" not in json.dumps(e.changes, ensure_ascii=False) for e in events)


def test_the_segment_quote_is_read_from_the_transcript(setup):
    assert selectors.quote(setup.segments["victim"]) == "có người lạ đến hỏi thăm"


def test_a_segment_outside_the_text_is_refused(setup):
    with pytest.raises(HavenError):
        coding.segment_add(access=setup.lead, interview_id=setup.interviews["victim"].pk,
                           theme_id=setup.themes["threats"].pk, start=5, end=len(TRANSCRIPT_VICTIM) + 1)


def test_a_cell_links_only_the_participants_own_segments_of_its_theme(setup):
    with pytest.raises(HavenError) as error:
        coding.cell_save(access=setup.lead, participant_id=setup.official.pk, theme_id=setup.themes["reception"].pk,
                         summary="Sai", segment_ids=[setup.segments["victim"].pk])
    assert error.value.field == "segment_ids"


def test_the_column_view_compares_one_theme_across_participants(setup):
    view = selectors.matrix(setup.lead, theme_id=setup.themes["threats"].pk)
    assert [t.name for t, _d in view.themes] == ["Đe dọa sau khi trở về"]


def test_rows_filter_by_attribute(setup):
    view = selectors.matrix(setup.lead, filters={"kind": "official", "ethnicity": "minority"})
    assert [p.pseudonym for p in view.participants] == ["CB-02"]


def test_the_matrix_takes_a_fixed_number_of_queries(setup, world):
    with CaptureQueriesContext(connection) as small:
        selectors.matrix(setup.lead)
    for n in range(6):
        p = services.participant_add(access=setup.lead, pseudonym=f"CB-1{n}", kind="official")
        i = services.interview_add(access=setup.lead, participant_id=p.pk, held_on="2025-06-10", kind="notes",
                                   text="Thiếu kinh phí cho hỗ trợ.")
        s = coding.segment_add(access=setup.lead, interview_id=i.pk, theme_id=setup.themes["support"].pk,
                               start=0, end=5)
        coding.cell_save(access=setup.lead, participant_id=p.pk, theme_id=setup.themes["support"].pk,
                         summary="Thiếu kinh phí.", segment_ids=[s.pk])
    with CaptureQueriesContext(connection) as large:
        view = selectors.matrix(setup.lead)
    assert len(view.participants) == 9
    assert len(large) == len(small)


def test_the_qdpx_validates_against_the_refi_schema_and_keeps_vietnamese(setup):
    qde = _qde(setup)
    refi.project_schema().validate(qde)
    assert "Đe dọa sau khi trở về" in qde and "Thiếu phiên dịch tiếng Mông khi tiếp nhận." in qde
    assert 'xmlns="urn:QDA-XML:project:1.0"' in qde
    assert f'targetGUID="{setup.cells["victim"].guid}"' in qde  # the summary is a note referenced from its code


def test_an_invalid_project_is_refused_rather_than_written(setup):
    Theme.objects.filter(pk=setup.themes["support"].pk).update(color="#zz")
    with pytest.raises(refi.InvalidExport):
        refi.qdpx_bytes(setup.lead)


def test_the_codebook_round_trips_through_a_qdc_import(setup, world):
    qdc = refi.codebook_xml(setup.lead)
    refi.codebook_schema().validate(qdc.decode("utf-8"))
    other = services.study_create(acting_user=world.owner_caseworker, title="Nghiên cứu khác",
                                  period_start="2025-01-01", period_end="2025-12-31")
    access = selectors.access_study(world.owner_caseworker, other.pk)
    assert refi.codebook_import(access=access, data=qdc) == 4
    tree = [(t.name, d) for t, d in selectors.theme_tree(selectors.themes_of(other))]
    assert tree == [("Tiếp nhận", 0), ("Phiên dịch", 1), ("Đe dọa sau khi trở về", 0), ("Hỗ trợ quá thấp", 0)]
    assert refi.codebook_import(access=access, data=qdc) == 0  # importing again adds nothing


@pytest.mark.parametrize("data", [
    b"", b"<not xml", b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>",
    b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>",
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>",
], ids=["empty", "not-xml", "no-codes", "a-project", "entities"])
def test_a_bad_codebook_file_is_refused_and_nothing_changes(setup, data):
    before = Theme.objects.count()
    with pytest.raises(HavenError) as error:
        refi.codebook_import(access=setup.lead, data=data)
    assert error.value.field == "file" and str(error.value.message)
    assert Theme.objects.count() == before


def test_the_api_refuses_a_bad_codebook_with_a_clear_message(setup, api):
    response = api(setup.lead.user).post(f"/api/research/studies/{setup.study.pk}/codebook", {"qdc": "<x/>"})
    assert response.status_code == 400 and response.json()["field"] == "file"


def test_the_api_matrix_lists_cells_with_their_segments(setup, api):
    body = api(setup.researcher.user).get(f"/api/research/studies/{setup.study.pk}/matrix").json()
    cell = next(c for c in body["cells"] if c["participant_id"] == setup.victim.pk)
    assert cell["segment_ids"] == [setup.segments["victim"].pk]


def test_the_cli_exports_a_valid_qdpx_and_imports_a_codebook(setup, tmp_path):
    out = tmp_path / "study.qdpx"
    call_command("research", "export-qdpx", str(setup.study.pk), "--out", str(out), "--as", "owner_cw")
    with zipfile.ZipFile(out) as archive:
        refi.project_schema().validate(archive.read("project.qde").decode("utf-8"))
    qdc = tmp_path / "codes.qdc"
    qdc.write_bytes(refi.codebook_xml(setup.lead))
    call_command("research", "import-qdc", str(setup.study.pk), str(qdc), "--as", "owner_cw")
    assert Theme.objects.filter(study=setup.study).count() == 4


def test_the_cli_gives_outsiders_not_found(setup):
    with pytest.raises(CommandError, match="no study"):
        call_command("research", "matrix", str(setup.study.pk), "--as", "stats")


def test_auditors_cannot_be_added_as_members(setup):
    with pytest.raises(HavenError) as error:
        services.member_add(access=setup.lead, username="auditor")
    assert error.value.field == "username"


def test_the_coding_page_shows_the_transcript_to_members_in_vietnamese(setup, as_user):
    client = as_user(setup.lead.user)
    client.cookies["django_language"] = "vi"
    page = client.get(f"/research/{setup.study.pk}/interviews/{setup.interviews['victim'].pk}/")
    assert page.status_code == 200 and "có người lạ đến hỏi thăm" in page.content.decode()


def test_coding_through_the_page_saves_a_segment(setup, as_user):
    client = as_user(setup.lead.user)
    iv = setup.interviews["victim"]
    start = TRANSCRIPT_VICTIM.index("Tiền hỗ trợ")
    client.post(f"/research/{setup.study.pk}/interviews/{iv.pk}/",
                {"theme": setup.themes["support"].pk, "start": start, "end": start + 11})
    assert [selectors.quote(s) for s in iv.segments.filter(theme=setup.themes["support"])] == ["Tiền hỗ trợ"]
