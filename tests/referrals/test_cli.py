"""haven referrals and haven transfers: thin, held to the acting user's permissions, clear on bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from haven.audit.models import AuditEvent
from haven.referrals.models import CaseTransfer, Referral, ReferralStatus
from tests.referrals.conftest import consent, past_due, send

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_send_list_accept_complete(world):
    consent(world)
    out = run("referrals", "send", world.case.code, "--as", "owner_cw", "--to-agency-id", str(world.other_agency.pk),
              "--purpose", "Tiếp nhận", "--item", "psychological")
    referral = Referral.objects.get()
    assert f"Referral #{referral.pk} sent" in out and "full_name" in out
    assert world.case.code in run("referrals", "list", "--as", "other_cw")
    run("referrals", "accept", str(referral.pk), "--as", "other_cw")
    run("referrals", "complete", str(referral.pk), "--as", "other_cw", "--outcome", "Đã hỗ trợ")
    assert Referral.objects.get().status == ReferralStatus.COMPLETED
    assert AuditEvent.objects.filter(object_type="referral", channel="cli").count() == 3
    shown = run("referrals", "show", world.case.code, "--as", "owner_cw")
    assert "completed" in shown and "Đã hỗ trợ" in shown and "Psychological support" in shown


def test_without_consent_the_command_says_why(world):
    with pytest.raises(CommandError, match="not consented"):
        run("referrals", "send", world.case.code, "--as", "owner_cw", "--to-agency-id", str(world.other_agency.pk),
            "--purpose", "Tiếp nhận")
    assert not Referral.objects.exists()


def test_bad_input_is_a_clear_error(world):
    consent(world)
    with pytest.raises(CommandError, match="due_on"):
        run("referrals", "send", world.case.code, "--as", "owner_cw", "--to-agency-id", str(world.other_agency.pk),
            "--purpose", "x", "--due-on", "2020-13-01")
    with pytest.raises(CommandError, match="no case"):
        run("referrals", "send", world.case.code, "--as", "other_cw", "--to-agency-id", str(world.owner_agency.pk),
            "--purpose", "x")
    with pytest.raises(CommandError, match="no referral"):
        run("referrals", "accept", "999", "--as", "other_cw")
    with pytest.raises(CommandError, match="no active user"):
        run("referrals", "list", "--as", "nobody")
    assert not Referral.objects.exists()


def test_decline_and_cancel(world):
    consent(world)
    first, second = send(world), None
    run("referrals", "decline", str(first.pk), "--as", "other_cw", "--reason", "Hết chỗ")
    second = send(world)
    run("referrals", "cancel", world.case.code, str(second.pk), "--as", "owner_cw", "--reason", "Đổi nơi")
    assert list(Referral.objects.order_by("pk").values_list("status", flat=True)) == ["declined", "cancelled"]


def test_overdue(world):
    consent(world)
    referral = past_due(send(world))
    assert f"#{referral.pk}" in run("referrals", "overdue", "--as", "other_cw") and "OVERDUE" in run(
        "referrals", "overdue", "--as", "owner_cw")
    assert "No overdue" in run("referrals", "overdue", "--as", "second_cw")


def test_transfers_request_list_accept(world, far):
    out = run("transfers", "request", world.case.code, "--as", "owner_sup", "--to-agency-id", str(far.agency.pk),
              "--reason", "Chuyển về Nghệ An")
    transfer = CaseTransfer.objects.get()
    assert f"Transfer #{transfer.pk} requested" in out
    assert world.case.code in run("transfers", "list", "--as", "far_sup")
    with pytest.raises(CommandError, match="supervisor"):
        run("transfers", "accept", str(transfer.pk), "--as", "far_cw")
    run("transfers", "accept", str(transfer.pk), "--as", "far_sup")
    assert CaseTransfer.objects.get().status == "accepted"


def test_only_supervisors_request_transfers(world, far):
    with pytest.raises(CommandError, match="no case"):
        run("transfers", "request", world.case.code, "--as", "owner_cw", "--to-agency-id", str(far.agency.pk),
            "--reason", "x")
    assert not CaseTransfer.objects.exists()
