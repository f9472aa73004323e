"""haven justice …, acting as a named user, with clear errors and no traceback."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.legal.models import CompensationPayment, LegalAid, Proceeding, Verdict

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("justice", *args, stdout=out)
    return out.getvalue()


def test_a_proceeding_verdict_payment_and_step_from_the_command_line(world, case, legal_cw, referred):
    code = case.code
    run("proceeding", code, "--as", "owner_cw", "--kind", "criminal", "--role", "victim", "--court", "TAND Hư Cấu",
        "--opened", "2024-04-01")
    proceeding = Proceeding.objects.get()
    run("legal-aid", code, "--as", "legal_cw", "--provider-id", str(legal_cw.agency_id), "--on", "2025-08-01",
        "--proceeding-id", str(proceeding.pk))
    aid = LegalAid.objects.get()
    run("legal-aid", code, "--as", "legal_cw", "--decide", str(aid.pk), "--status", "granted", "--on", "2025-08-02")
    run("verdict", code, "--as", "owner_cw", "--proceeding-id", str(proceeding.pk), "--on", "2024-09-10",
        "--level", "first_instance", "--outcome", "convicted", "--compensation", "10000000", "--debtor", "Bị cáo C")
    award = Verdict.objects.get()
    run("payment", code, "--as", "legal_cw", "--award-id", str(award.pk), "--on", "2024-10-01", "--amount",
        "4000000", "--how", "cash", "--evidence", "BL-7")
    shown = json.loads(run("enforcement", code, "--as", "owner_cw", "--award-id", str(award.pk), "--kind",
                           "request_filed", "--on", "2024-10-03"))
    verdict = shown["proceedings"][0]["verdicts"][0]
    assert verdict["payment_state"] == "paid_in_part" and len(verdict["enforcement"]) == 1
    assert LegalAid.objects.get().status == "granted"
    summary = json.loads(run("summary", "--as", "owner_sup"))
    assert summary["paid_in_part"] == 1 and summary["received"] == 4_000_000
    stats = json.loads(run("summary", "--as", "stats"))
    assert stats["paid_in_part"] is None and stats["received"] is None


def test_bad_input_is_a_clear_error_and_nothing_changes(world, case, award):
    with pytest.raises(CommandError, match="amount"):
        run("payment", case.code, "--as", "owner_cw", "--award-id", str(award.pk), "--on", "2024-10-01",
            "--amount", "nhiều", "--how", "cash", "--evidence", "BL")
    assert not CompensationPayment.objects.exists()


def test_a_case_the_user_may_not_see_is_not_found(world, case):
    with pytest.raises(CommandError, match="no case"):
        run("summary", case.code, "--as", "other_cw")
