"""Writes of the support area: one audited service per state change, split by subject.

- stays.py: `stay_admit`, `stay_discharge` (and the state-paid limit of a stay);
- ledger.py: `ledger_record`, `ledger_reverse`, `ledger_decide` (and the engine's proposal);
- funding.py: `funding_source_create`, `funding_source_deactivate`.

Every one is keyword-only, atomic, validated and audited, and raises HavenError (or NotFound /
PermissionDenied). There is deliberately no service that edits or deletes a ledger entry.
"""

from haven.support.funding import funding_source_create, funding_source_deactivate
from haven.support.ledger import ledger_decide, ledger_propose, ledger_record, ledger_reverse
from haven.support.stays import stay_admit, stay_discharge

__all__ = [
    "funding_source_create", "funding_source_deactivate", "ledger_decide", "ledger_propose", "ledger_record",
    "ledger_reverse", "stay_admit", "stay_discharge",
]
