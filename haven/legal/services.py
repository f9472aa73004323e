"""Writes of the justice area: one audited service per state change, split by subject.

- proceedings.py: `proceeding_create`, `proceeding_advance`, `legal_aid_request`, `legal_aid_decide`;
- awards.py: `verdict_record`, `payment_record`, `payment_reverse`, `enforcement_record`.

Every one is keyword-only, atomic, validated and audited, and raises HavenError (or NotFound). There is
deliberately no service that edits or deletes a compensation payment or an enforcement step.
"""

from haven.legal.awards import enforcement_record, payment_record, payment_reverse, verdict_record
from haven.legal.proceedings import legal_aid_decide, legal_aid_request, proceeding_advance, proceeding_create

__all__ = [
    "enforcement_record", "legal_aid_decide", "legal_aid_request", "payment_record", "payment_reverse",
    "proceeding_advance", "proceeding_create", "verdict_record",
]
