"""haven report: statistics in each mode, releases, the budget, the PDF; refusals are clear errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from haven.audit.models import AuditEvent
from haven.reports.models import PrivacyRelease

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_official_statistics_give_the_2020_figures_as_json(official_statistician, figures2020):
    data = json.loads(_run("statistics", "--as", official_statistician.username, "--year", "2020",
                           "--tables", "sex_age", "--mode", "official", "--format", "json"))
    assert data[0]["totals"]["total"]["value"] == 121
    assert AuditEvent.objects.filter(object_type="official_statistics", channel="cli").exists()


def test_public_statistics_hide_small_cells_in_the_table(world, figures2020):
    text = _run("statistics", "--as", world.statistician.username, "--year", "2020", "--tables", "sex_age", "--k", "11")
    assert "<11" in text and "121" in text


def test_official_mode_is_refused_without_the_permission(world, figures2020):
    with pytest.raises(CommandError, match="official statistics permission"):
        _run("statistics", "--as", world.statistician.username, "--year", "2020", "--mode", "official")


def test_release_and_budget(world, figures2020):
    _run("release", "--as", world.statistician.username, "--year", "2020", "--tables", "sex_age", "--epsilon", "0.5")
    assert PrivacyRelease.objects.count() == 1
    assert "1.500" in _run("budget", "--as", world.statistician.username)


def test_pdf_is_written_and_audited(official_supervisor, figures2020, tmp_path):
    target = tmp_path / "r.pdf"
    _run("pdf", "--as", official_supervisor.username, "--year", "2020", "--tables", "sex_age", "--mode", "official",
         "--output", str(target))
    text = "\n".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "121" in text and "Identified persons by sex and age" in text
    assert AuditEvent.objects.filter(object_type="aggregate_tables", changes__format="pdf").exists()


def test_bad_input_is_a_clear_error(world):
    with pytest.raises(CommandError, match="k"):
        _run("statistics", "--as", world.statistician.username, "--k", "1")
