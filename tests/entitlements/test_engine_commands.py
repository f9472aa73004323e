"""The command-line contract: `haven entitlements evaluate` and `haven calendar` (no database needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROFILES = [
    {"id": "A", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2024-01-29",
     "province": "lao-cai", "poor_household": True},
    {"id": "B", "category": "under_identification", "nationality": "CN", "located": "vietnam",
     "reported_on": "2025-07-10"},
]

# The command reads official figures from the database as well as the parameter files.
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def profiles_file(tmp_path: Path) -> Path:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(PROFILES), encoding="utf-8")
    return path


def test_evaluate_prints_the_json_contract(profiles_file: Path) -> None:
    results = json.loads(run("entitlements", "evaluate", "--input", str(profiles_file), "--on", "2025-07-11"))
    assert [r["id"] for r in results] == ["A", "B"]
    assert [r["regime"] for r in results] == ["law-66-2011", "law-53-2024"]
    item = results[0]["items"][0]
    assert set(item) == {"code", "name", "status", "confidence", "amount_vnd", "limits", "deadlines", "reasons", "citations"}
    assert item["confidence"] in {"confirmed", "reported", "unverified"}
    assert set(item["name"]) == {"vi", "en"}
    assert results[1]["deadlines"] == {"initial_verification_by": "2025-07-13"}


def test_evaluate_prints_a_table_in_vietnamese(profiles_file: Path) -> None:
    table = run("entitlements", "evaluate", "--input", str(profiles_file), "--on", "2025-02-03",
                "--format", "table", "--lang", "vi")
    assert "hardship_allowance" in table and "1,000,000" in table and "apply_by=2025-02-03" in table
    assert "Trợ cấp khó khăn ban đầu: được hưởng" in table


@pytest.mark.parametrize(("content", "message"), [
    ("[{", "is not valid JSON"),
    ('{"id": "A"}', "JSON list of profiles"),
    ('[{"id": "A", "category": "victim", "nationality": "VN", "located": "moon"}]', "located: 'moon'"),
    ('[{"id": "A", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2026-01-01"}]',
     "after the evaluation date"),
])
def test_bad_input_is_a_command_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("entitlements", "evaluate", "--input", str(path), "--on", "2025-07-11")


def test_missing_file_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run("entitlements", "evaluate", "--input", "/nonexistent/profiles.json", "--on", "2025-07-11")


def test_bad_date_is_refused(profiles_file: Path) -> None:
    with pytest.raises(CommandError, match="not a date"):
        run("entitlements", "evaluate", "--input", str(profiles_file), "--on", "2025-02-30")


def test_add_working_days_across_tet() -> None:
    assert run("calendar", "add-working-days", "2025-01-24", "3").strip() == "2025-02-05"


def test_working_days_between_and_is_working_day() -> None:
    assert run("calendar", "working-days-between", "2025-01-24", "2025-02-05").strip() == "3"
    assert run("calendar", "is-working-day", "2025-04-26").strip() == "yes"


def test_calendar_out_of_range_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="outside the working-day calendar"):
        run("calendar", "add-working-days", "1990-01-01", "3")


def test_command_line_errors_go_to_stderr_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"id": "A", "category": "refugee", "nationality": "VN", "located": "vietnam"}]')
    done = subprocess.run(
        [sys.executable, "-m", "haven.manage", "entitlements", "evaluate", "--input", str(path), "--on", "2025-07-11"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode != 0
    assert "category: 'refugee' is not one of" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_each_item_carries_the_weakest_confidence_of_what_it_cites() -> None:
    from haven.entitlements.engine import evaluate

    base = {"id": "C", "category": "victim", "nationality": "VN", "located": "vietnam", "province": "lao-cai",
            "poor_household": True}
    old = {i["code"]: i for i in evaluate({**base, "identified_on": "2024-03-05"}, "2024-06-01")["items"]}
    assert old["hardship_allowance"]["confidence"] == "reported"  # Lào Cai's figure from the seed study
    assert old["psychological"]["confidence"] == "confirmed"
    new = {i["code"]: i for i in evaluate({**base, "identified_on": "2025-08-05"}, "2025-09-01")["items"]}
    assert new["essential_needs"]["status"] == "amount_not_set"
    assert new["essential_needs"]["confidence"] == "unverified"
