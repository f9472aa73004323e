"""Writing and verifying the audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditChainHead, AuditEvent
from haven.core import crypto

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_username", "agency_id_at_time", "role", "action", "object_type",
    "object_id", "case_id", "fields", "changes", "reason", "channel", "prev_hash",
)


def _canonical(event: AuditEvent) -> bytes:
    data: dict[str, Any] = {}
    for name in _HASHED_FIELDS:
        value = getattr(event, name)
        data[name] = value.isoformat() if name == "at" else value
    return json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    # Keyed with the audit key held outside the database, so someone who can only write to the
    # database cannot rebuild a consistent chain after editing it.
    return crypto.audit_mac(_canonical(event))


def _event(head_seq: int, prev_hash: str, *, actor: Any | None, action: str, object_type: str = "",
           object_id: Any = "", case_id: int | None = None, fields: Iterable[str] = (), changes: dict | None = None,
           reason: str = "", channel: str = "") -> AuditEvent:
    event = AuditEvent(
        seq=head_seq + 1,
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        agency_id_at_time=getattr(actor, "agency_id", None),
        role=getattr(actor, "role", "") or "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id or ""),
        case_id=case_id,
        fields=sorted(set(fields)),
        changes=changes or {},
        reason=reason,
        channel=channel,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    return event


def audit_record_many(entries: list[dict[str, Any]],
                      write: Callable[[list[AuditEvent]], Any] | None = None) -> list[AuditEvent]:
    """Append several events under one lock of the chain head (e.g. the names on a page of cases).
    Each entry takes the keyword arguments of `audit_record`. Runs inside the caller's transaction.
    `write` stores the chained events (default `bulk_create`; an import passes its COPY writer)."""
    if not entries:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        events, seq, prev = [], head.last_seq, head.last_hash
        for entry in entries:
            event = _event(seq, prev, **entry)
            events.append(event)
            seq, prev = event.seq, event.hash
        (write or AuditEvent.objects.bulk_create)(events)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
    return events


def audit_record(
    *,
    actor: Any | None,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    case_id: int | None = None,
    fields: Iterable[str] = (),
    changes: dict | None = None,
    reason: str = "",
    channel: str = "",
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so it commits with the change."""
    return audit_record_many([{
        "actor": actor, "action": action, "object_type": object_type, "object_id": object_id, "case_id": case_id,
        "fields": fields, "changes": changes, "reason": reason, "channel": channel,
    }])[0]


_PROBLEMS = {
    "missing": _("an event is missing"),
    "unlinked": _("it does not link to the event before it"),
    "changed": _("its contents were changed"),
    "truncated": _("events at the end were removed"),
    "anchor": _("it differs from a copy of the chain kept outside the database"),
}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""  # English, for the command line and logs
    problem_code: str = ""

    @property
    def problem_text(self) -> str:
        """The problem in the active language, for pages and the API."""
        return str(_PROBLEMS[self.problem_code]) if self.problem_code else ""


def read_anchors(path: Path | None) -> dict[int, str]:
    """Chain heads copied outside the database by `haven audit anchor` (one JSON object a line)."""
    if path is None or not path.exists():
        return {}
    anchors = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            anchors[int(entry["seq"])] = str(entry["hash"])
    return anchors


def audit_verify_with_anchors() -> VerifyResult:
    """The check the pages and the API run: the chain, plus the configured outside anchors if any."""
    from django.conf import settings

    try:
        anchors = read_anchors(Path(settings.HAVEN_AUDIT_ANCHOR_FILE))
    except (ValueError, KeyError, OSError):
        return VerifyResult(False, 0, None, "the anchor file cannot be read", "anchor")
    return audit_verify(anchors=anchors)


def audit_anchor(path: Path) -> tuple[int, str]:
    """Append the current chain head to a file kept apart from the database (another disk or machine)."""
    head = AuditChainHead.objects.filter(id=1).first()
    seq, last = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"seq": seq, "hash": last, "at": timezone.now().isoformat()}) + "\n")
    return seq, last


def audit_verify(batch_size: int = 2000, anchors: dict[int, str] | None = None) -> VerifyResult:
    """Recompute the chain. Reports the first event that was edited, removed or inserted.

    With anchors (heads copied outside the database), removing the newest events and moving the head
    back is detected too, which the chain alone cannot show.
    """
    anchors = anchors or {}
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"event {expected_seq} is missing", "missing")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.seq, "does not link to the event before it", "unlinked")
        if event_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, "its contents were changed", "changed")
        if event.seq in anchors and anchors[event.seq] != event.hash:
            return VerifyResult(False, checked, event.seq, "it differs from the copy kept outside the database",
                                "anchor")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if anchors and max(anchors) > checked:
        return VerifyResult(False, checked, checked + 1, "events recorded in an outside copy were removed",
                            "truncated")
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    last_hash = head.last_hash if head else GENESIS
    if last_seq != checked or last_hash != expected_prev:
        return VerifyResult(False, checked, checked + 1, f"events after {checked} were removed", "truncated")
    return VerifyResult(True, checked)
