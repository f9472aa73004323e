"""The consent in force for each purpose, and the history."""

from __future__ import annotations

from dataclasses import dataclass

from haven.consent.models import ConsentRecord, Decision, Purpose


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    agency_kind: str
    decision: str
    record: ConsentRecord

    @property
    def given(self) -> bool:
        return self.decision == Decision.GIVEN


def consent_current(person_id: int) -> list[ConsentState]:
    """The latest decision for every (purpose, agency kind) the person has been asked about."""
    seen: dict[tuple[str, str], ConsentState] = {}
    for record in ConsentRecord.objects.filter(person_id=person_id).order_by("-recorded_at", "-id"):
        key = (record.purpose, record.agency_kind)
        if key not in seen:
            seen[key] = ConsentState(record.purpose, record.agency_kind, record.decision, record)
    return sorted(seen.values(), key=lambda s: (s.purpose, s.agency_kind))


def consent_given(person_id: int, purpose: str, agency_kind: str = "") -> bool:
    latest = (
        ConsentRecord.objects.filter(person_id=person_id, purpose=purpose, agency_kind=agency_kind)
        .order_by("-recorded_at", "-id").first()
    )
    return latest is not None and latest.decision == Decision.GIVEN


def consent_history(person_id: int) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(person_id=person_id).select_related("recorded_by"))


__all__ = ["ConsentState", "Purpose", "consent_current", "consent_given", "consent_history"]
