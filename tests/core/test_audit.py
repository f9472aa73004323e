"""The audit trail is append-only and any edit, removal or insertion is detected."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_record, audit_verify
from haven.cases.selectors import read_identity
from tests.factories import access, build_world


@pytest.fixture
def chain(db):
    world = build_world()
    for _ in range(4):
        read_identity(access(world.owner_caseworker, world.case))
    return world


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_verifies(chain):
    result = audit_verify()
    assert result.ok and result.checked == AuditEvent.objects.count() >= 5
    call_command("audit", "verify")


def test_events_never_hold_plaintext_identity_values(chain):
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).last()
    assert "full_name" in event.fields
    blob = f"{event.fields}{event.changes}{event.reason}"
    assert "Ngọc" not in blob and "0912" not in blob


def test_an_edited_event_is_named(chain):
    _sql("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["someone_else", 3])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 3 and "changed" in result.problem
    with pytest.raises(CommandError, match="BROKEN at event 3"):
        call_command("audit", "verify")


def test_an_edited_field_list_is_detected(chain):
    _sql("UPDATE audit_auditevent SET fields = %s WHERE seq = %s", ['["phone"]', 4])
    assert audit_verify().broken_seq == 4


def test_a_deleted_event_in_the_middle_is_detected(chain):
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 2


def test_a_deleted_last_event_is_detected(chain):
    last = AuditEvent.objects.order_by("-seq").first().seq
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    result = audit_verify()
    assert not result.ok and result.broken_seq == last


def test_a_rewritten_hash_without_the_audit_key_is_detected(chain):
    # Someone with database access recomputes a plain SHA-256: without the audit key it cannot match.
    import hashlib

    _sql("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE seq = %s",
         ["edited", hashlib.sha256(b"forged").hexdigest(), 2])
    assert audit_verify().broken_seq == 2


def test_the_model_refuses_updates_and_deletes(chain):
    event = AuditEvent.objects.first()
    event.reason = "x"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_sequence_numbers_continue_without_gaps(chain):
    audit_record(actor=None, action=AuditAction.ADMIN, object_type="test")
    seqs = list(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_the_haven_command_exits_non_zero_on_a_broken_chain(tmp_path):
    """Through the real `haven` entry point, on a database file of its own."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"}
    haven = [sys.executable, "-m", "haven.manage"]
    subprocess.run([*haven, "migrate", "-v0"], env=env, check=True)
    code = "from haven.audit.services import audit_record as r\nfor _ in range(3): r(actor=None, action='admin')"
    subprocess.run([*haven, "shell", "-c", code], env=env, check=True)
    ok = subprocess.run([*haven, "audit", "verify"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "OK: 3 events" in ok.stdout
    import sqlite3

    db = sqlite3.connect(tmp_path / "a.sqlite3")
    db.execute("UPDATE audit_auditevent SET object_type = 'x' WHERE seq = 2")
    db.commit()
    broken = subprocess.run([*haven, "audit", "verify"], env=env, capture_output=True, text=True)
    assert broken.returncode != 0 and "BROKEN at event 2" in broken.stderr


def test_events_appended_in_a_batch_chain_like_single_ones(chain):
    from haven.audit.services import audit_record_many

    audit_record_many([{"actor": None, "action": AuditAction.ADMIN, "object_type": f"t{i}"} for i in range(5)])
    audit_record(actor=None, action=AuditAction.ADMIN)
    assert audit_verify().ok
    _sql("UPDATE audit_auditevent SET object_type = %s WHERE object_type = %s", ["tx", "t2"])
    assert not audit_verify().ok


def test_removing_the_newest_events_and_moving_the_head_back_is_caught_by_an_anchor(chain, tmp_path):
    from haven.audit.models import AuditChainHead
    from haven.audit.services import audit_anchor, read_anchors

    anchors = tmp_path / "anchors.jsonl"
    audit_anchor(anchors)
    kept = AuditEvent.objects.get(seq=3)
    _sql("DELETE FROM audit_auditevent WHERE seq > %s", [3])
    AuditChainHead.objects.filter(id=1).update(last_seq=3, last_hash=kept.hash)
    assert audit_verify().ok  # the chain alone cannot see it
    result = audit_verify(anchors=read_anchors(anchors))
    assert not result.ok and result.problem_code == "truncated"
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify", "--anchors", str(anchors))


def test_an_anchor_that_disagrees_with_the_chain_is_named(chain, tmp_path):
    from haven.audit.services import audit_anchor, read_anchors

    anchors = tmp_path / "anchors.jsonl"
    audit_anchor(anchors)
    call_command("audit", "verify", "--anchors", str(anchors))
    seq = max(read_anchors(anchors))
    anchors.write_text(f'{{"seq": {seq}, "hash": "{"0" * 64}", "at": "x"}}\n')
    result = audit_verify(anchors=read_anchors(anchors))
    assert not result.ok and result.broken_seq == seq and result.problem_code == "anchor"
