"""Pages, API, workbook and commands: what the supervisor sees, and bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext

from haven.audit.models import AuditEvent
from haven.budgets.models import BudgetEstimate, IntakeHistory
from tests.budgets.conftest import ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup(world, as_user):  # noqa: ANN201
    return as_user(world.supervisor)


def _this_year() -> int:
    return timezone.localdate().year


def test_the_supervisor_sees_spending_against_the_estimate_with_a_chart(world, source, sup):
    year = _this_year()
    ledger(world, source, 250_000, dt.date(year, 1, 15))
    sup.post(f"/budgets/agency/{world.owner_agency.pk}/estimates/",
             {"funding_source": source.pk, "year": year, "amount": "1.000.000"})
    page = sup.get(f"/budgets/agency/{world.owner_agency.pk}/?year={year}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<title>" in body
    assert "250.000" in body and "1.000.000" in body and "25,0%" in body


def test_a_revised_estimate_counts_and_the_first_stays_in_the_history(world, source, sup):
    for amount in ("800000", "900000"):
        sup.post(f"/budgets/agency/{world.owner_agency.pk}/estimates/",
                 {"funding_source": source.pk, "year": _this_year(), "amount": amount})
    api = sup.get(f"/api/budgets/agencies/{world.owner_agency.pk}/estimates").json()
    assert api["rows"][0]["estimate"] == 900_000
    assert BudgetEstimate.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="budget_estimate").count() == 2


@pytest.mark.parametrize("data, field", [
    ({"amount": "-5"}, "amount"), ({"amount": "nhiều"}, "amount"), ({"amount": str(10**16)}, "amount"),
    ({"year": "1999"}, "year"), ({"funding_source": "999999"}, "funding_source"),
    ({"line_food": "2000000"}, "lines"),
])
def test_a_bad_estimate_is_refused_with_a_translated_message_and_nothing_changes(world, source, sup, data, field):
    form = {"funding_source": source.pk, "year": _this_year(), "amount": "1000000"} | data
    response = sup.post(f"/budgets/agency/{world.owner_agency.pk}/estimates/", form)
    assert response.status_code == 400
    assert "Không có gì thay đổi" in response.content.decode() or "Nothing was changed" in response.content.decode()
    assert field in response.content.decode()
    assert BudgetEstimate.objects.count() == 0


def test_another_agencys_funding_source_cannot_be_used(world, source, other_source, sup):
    response = sup.post(f"/api/budgets/agencies/{world.owner_agency.pk}/estimates",
                        {"funding_source_id": other_source.pk, "year": _this_year(), "amount": 1},
                        content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "funding_source"
    assert BudgetEstimate.objects.count() == 0


def test_a_bad_intake_file_imports_no_row(world, sup):
    csv = "month,count\n2025-01,3\n2025-02,lots\n"
    response = sup.post(f"/budgets/agency/{world.owner_agency.pk}/intake/", {"rows": csv})
    assert response.status_code == 400
    assert "2025-02" not in response.content.decode() or "3" in response.content.decode()
    assert IntakeHistory.objects.count() == 0
    future = sup.post(f"/api/budgets/agencies/{world.owner_agency.pk}/intake",
                      {"rows": [{"month": f"{_this_year() + 1}-01", "count": 1}]}, content_type="application/json")
    assert future.status_code == 400
    assert IntakeHistory.objects.count() == 0


def test_the_api_explains_errors_in_english_when_asked(world, sup):
    response = sup.get(f"/api/budgets/agencies/{world.owner_agency.pk}/forecast?year=1990&lang=en")
    assert response.status_code == 400
    assert response.json()["field"] == "year" and "Forecasts are for next year" in response.json()["detail"]


def test_the_forecast_page_has_a_fan_chart_a_table_and_the_what_if(world, source, sup):
    sup.cookies["django_language"] = "en"
    response = sup.get(f"/budgets/agency/{world.owner_agency.pk}/forecast/?code=essential_needs.daily_rate&value=60000")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 1 and "80%" in body and "95%" in body
    assert "amount not set" in body.lower()


def test_the_workbook_opens_and_holds_the_numbers(world, source, sup):
    year = _this_year()
    ledger(world, source, 420_000, dt.date(year, 1, 10))
    sup.post(f"/budgets/agency/{world.owner_agency.pk}/estimates/", {"funding_source": source.pk, "year": year,
                                                                       "amount": "2000000"})
    response = sup.get(f"/api/budgets/agencies/{world.owner_agency.pk}/export.xlsx?lang=en")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Estimate", "Spending"]
    estimate = book["Estimate"]
    assert estimate["B2"].value == 2_000_000 and estimate["C2"].value == 420_000
    spending = book["Spending"]
    assert spending.cell(row=2, column=2).value == 420_000
    assert "Intake forecast" in book.sheetnames and "Assumptions" in book.sheetnames
    assert AuditEvent.objects.filter(action="export", object_type="budget_workbook").count() == 1


def test_the_workbook_is_in_vietnamese_by_default(world, source, sup):
    book = openpyxl.load_workbook(io.BytesIO(sup.get(f"/budgets/agency/{world.owner_agency.pk}/export.xlsx").content))
    with translation.override("vi"):
        assert book.sheetnames[0] == gettext("Estimate")


def test_the_adequacy_page_says_what_a_2013_amount_has_lost(sup):
    sup.cookies["django_language"] = "en"
    body = sup.get("/budgets/adequacy/?amount=30000&set_year=2013&in_year=2025").content.decode()
    assert "21,124" in body and "29.6%" in body and "<svg" in body
    assert "World Bank" in body


@pytest.mark.parametrize("query", ["base=1800", "amount=-1", "amount=abc", "set_year=2013&amount=5&in_year=2001"])
def test_bad_adequacy_input_is_a_clear_400(sup, query):
    assert sup.get(f"/budgets/adequacy/?{query}").status_code == 400


# --- Commands ---------------------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_budget_commands(world, source, tmp_path):
    agency = str(world.owner_agency.pk)
    assert "recorded" in _run("budget", "estimate", "--as", "owner_sup", "--agency", agency,
                              "--source", str(source.pk), "--amount", "3000000")
    listed = json.loads(_run("budget", "estimate", "--as", "owner_sup", "--agency", agency))
    assert listed["total_estimate"] == 3_000_000
    assert "Total" in _run("budget", "spending", "--as", "owner_sup", "--agency", agency, "--format", "table")
    forecast = json.loads(_run("budget", "forecast", "--as", "owner_sup", "--agency", agency))
    assert forecast["year"] == _this_year() + 1
    what_if = json.loads(_run("budget", "whatif", "--as", "owner_sup", "--agency", agency,
                              "--set", "essential_needs.daily_rate=60000"))
    assert what_if["what_if"]["overrides"] == {"essential_needs.daily_rate": 60000}
    target = tmp_path / "b.xlsx"
    _run("budget", "export", "--as", "owner_sup", "--agency", agency, "--output", str(target), "--lang", "en")
    assert openpyxl.load_workbook(target).sheetnames[0] == "Estimate"


def test_the_commands_refuse_other_agencies_and_bad_input(world, source, tmp_path):
    with pytest.raises(CommandError, match="no agency"):
        _run("budget", "forecast", "--as", "other_sup", "--agency", str(world.owner_agency.pk))
    with pytest.raises(CommandError, match="amount"):
        _run("budget", "estimate", "--as", "owner_sup", "--agency", str(world.owner_agency.pk),
             "--source", str(source.pk), "--amount", "-3")
    bad = tmp_path / "bad.csv"
    bad.write_text("month,count\n2025-01,2\n2025-01,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="twice"):
        _run("intake", "import", "--as", "owner_sup", "--agency", str(world.owner_agency.pk), "--file", str(bad))
    assert BudgetEstimate.objects.count() == 0 and IntakeHistory.objects.count() == 0


def test_intake_import_and_cpi_commands(world, tmp_path):
    good = tmp_path / "intake.csv"
    good.write_text("year,month,count\n2024,1,3\n2024,2,5\n", encoding="utf-8")
    assert "Imported 2 months" in _run("intake", "import", "--as", "owner_sup", "--agency",
                                       str(world.owner_agency.pk), "--file", str(good))
    assert "2013" in _run("cpi", "show", "--format", "table")
    text = _run("cpi", "adequacy", "--amount", "30000", "--set-year", "2013", "--in-year", "2025", "--format", "table")
    assert "21,124" in text and "29.6%" in text
    with pytest.raises(CommandError):
        _run("cpi", "adequacy", "--base", "1900")
