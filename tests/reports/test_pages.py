"""Report pages: tables in each mode, downloads (audited), releases, the budget ledger, bad input."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from haven.audit.models import AuditEvent
from haven.reports.models import PrivacyRelease
from tests.conftest import login

pytestmark = pytest.mark.django_db
RUN = "/reports/?run=1&year=2020&tables=sex_age&tables=referred_age"


def _client(person, lang: str = "en") -> Client:
    client = login(Client(), person)
    client.cookies["django_language"] = lang
    return client


def test_public_page_marks_hidden_cells_and_explains_them(world, figures2020):
    response = _client(world.statistician).get(RUN + "&mode=threshold&k=11")
    text = response.content.decode()
    assert response.status_code == 200
    assert "&lt;11" in text and "primary suppression" in text and "<svg" in text
    assert ">9<" not in text  # the nine men are fewer than 11


def test_official_page_shows_exact_figures_to_a_permission_holder_and_is_audited(official_statistician, figures2020):
    before = AuditEvent.objects.filter(object_type="official_statistics").count()
    response = _client(official_statistician).get(RUN + "&mode=official")
    assert response.status_code == 200
    assert ">121<" in response.content.decode() and ">9<" in response.content.decode()
    event = AuditEvent.objects.filter(object_type="official_statistics").last()
    assert AuditEvent.objects.filter(object_type="official_statistics").count() == before + 1
    assert event.changes["tables"] == ["sex_age", "referred_age"] and "121" not in str(event.changes)


def test_official_page_is_refused_without_the_permission(world, figures2020):
    response = _client(world.statistician).get(RUN + "&mode=official")
    assert response.status_code == 403
    assert "official statistics permission" in response.content.decode()


def test_bad_year_gives_a_translated_error(world):
    response = _client(world.statistician, "vi").get("/reports/?run=1&year=abc")
    assert response.status_code == 400
    assert "Nhập một số nguyên" in response.content.decode() or "year" in response.content.decode()


def test_csv_download_holds_no_hidden_value_and_is_audited(world, figures2020):
    response = _client(world.statistician).get("/reports/download.csv?year=2020&tables=sex_age&mode=threshold&k=11")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "Female" in text
    assert ",9," not in text and "121" in text
    event = AuditEvent.objects.filter(object_type="aggregate_tables").last()
    assert event.changes["format"] == "csv" and event.changes["k"] == 11


def test_xlsx_download_has_one_sheet_per_table(world, figures2020):
    response = _client(world.statistician).get("/reports/download.xlsx?year=2020&tables=sex_age&tables=services_sex")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 2
    assert AuditEvent.objects.filter(object_type="aggregate_tables", changes__format="xlsx").exists()


@pytest.mark.parametrize(("lang", "words"), [("en", "Identified persons by sex and age"),
                                             ("vi", "Tổng cộng")])
def test_pdf_report_has_the_tables_in_the_chosen_language(official_statistician, figures2020, lang, words):
    response = _client(official_statistician).get(
        f"/reports/download.pdf?year=2020&tables=sex_age&mode=official&lang={lang}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert words in text and "121" in text


def test_a_release_is_stored_and_viewing_it_again_spends_nothing(world, figures2020):
    client = _client(world.statistician)
    response = client.post("/reports/release/", {"tables": "sex_age", "year": "2020", "epsilon": "0.5"})
    assert response.status_code == 302
    assert PrivacyRelease.objects.count() == 1
    for _ in range(2):
        page = client.get("/reports/?run=1&mode=dp&year=2020&tables=sex_age")
        assert "differential privacy" in page.content.decode()
    assert PrivacyRelease.objects.count() == 1


def test_a_release_beyond_the_budget_is_refused_and_nothing_is_stored(world, figures2020):
    client = _client(world.statistician)
    client.post("/reports/release/", {"tables": "sex_age", "year": "2020", "epsilon": "2"})
    response = client.post("/reports/release/", {"tables": "sex_age", "year": "2020", "epsilon": "0.1"})
    assert response.status_code == 400
    assert "Refused" in response.content.decode()
    assert PrivacyRelease.objects.count() == 1


def test_budget_page_lists_the_ledger(world, figures2020):
    client = _client(world.statistician)
    client.post("/reports/release/", {"tables": "sex_age", "year": "2020", "epsilon": "0.5"})
    response = client.get("/reports/budgets/")
    assert response.status_code == 200 and "0.500" in response.content.decode()


def test_statistician_dashboard_has_a_trend_chart_with_its_numbers(world):
    response = _client(world.statistician).get("/")
    text = response.content.decode()
    assert response.status_code == 200 and "<svg" in text and "Identified persons per year, by sex" in text


def test_supervisor_dashboard_says_whether_official_figures_are_allowed(official_supervisor, world):
    assert "You may run official" in _client(official_supervisor).get("/").content.decode()
    assert "You see public statistics" in _client(world.supervisor).get("/").content.decode()
