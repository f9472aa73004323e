"""haven stays | ledger | funding, acting as a named user, with clear errors and no traceback."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.support.models import LedgerApproval, LedgerEntry, ShelterStay

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_stay_and_a_payment_from_the_command_line(world, old_case, owner_fund):
    stay = json.loads(run("stays", "admit", old_case.code, "--as", "owner_cw", "--facility-id",
                          str(world.other_agency.pk), "--on", "2023-03-05", "--format", "json"))[0]
    assert (stay["paid_item"], stay["paid_until"]) == ("food", "2023-06-04")
    run("stays", "discharge", old_case.code, "--as", "owner_cw", "--stay-id", str(stay["id"]), "--on", "2023-04-13")
    assert ShelterStay.objects.get().discharged_on.isoformat() == "2023-04-13"
    run("ledger", "record", old_case.code, "--as", "owner_cw", "--item", "food", "--on", "2023-04-13",
        "--amount", "1200000", "--funding-source-id", str(owner_fund.pk), "--evidence", "signature_list",
        "--evidence-ref", "DS-04/2023")
    entry = LedgerEntry.objects.get()
    assert "approved" in run("ledger", "approve", str(entry.pk), "--as", "owner_sup")
    assert LedgerApproval.objects.get().approved
    balances = json.loads(run("ledger", "balances", old_case.code, "--as", "owner_cw", "--format", "json"))
    assert balances[0]["approved"] == 1_200_000
    table = run("ledger", "list", old_case.code, "--as", "owner_cw")
    assert "DS-04/2023" in table and "approved" in table
    assert "Trung tâm" in run("stays", "occupancy", "--as", "owner_cw")


def test_funding_add_and_list(world):
    run("funding", "add", "--as", "owner_sup", "--kind", "state_budget", "--name", "Ngân sách tỉnh")
    assert json.loads(run("funding", "list", "--as", "owner_sup", "--format", "json"))[0]["name"] == "Ngân sách tỉnh"


@pytest.mark.parametrize("args, message", [
    (("ledger", "list", "HV-26-ZZZZZZ", "--as", "owner_cw"), "no case 'HV-26-ZZZZZZ' that owner_cw may see"),
    (("funding", "add", "--as", "owner_cw", "--kind", "other", "--name", "X"), "You do not have permission"),
    (("stays", "list", "HV-26-ZZZZZZ", "--as", "nobody"), "no active user named 'nobody'"),
])
def test_refusals_are_one_clear_line(world, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)


def test_bad_input_names_the_field_and_changes_nothing(world, old_case, owner_fund):
    with pytest.raises(CommandError) as error:
        run("ledger", "record", old_case.code, "--as", "owner_cw", "--item", "food", "--on", "2023-04-13",
            "--amount", "abc", "--funding-source-id", str(owner_fund.pk), "--evidence", "invoice",
            "--evidence-ref", "HĐ 1")
    assert str(error.value).startswith("amount:")
    assert not LedgerEntry.objects.exists()
