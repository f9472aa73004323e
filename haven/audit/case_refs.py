"""Case codes for audit events, which refer to cases by internal id.

A selector for the audit API (auditors see the trail, never case contents): the pseudonymous case
code is the only thing of a case read here. Kept outside the thin API layer on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from haven.cases.models import Case


def case_codes(case_ids: Iterable[int]) -> dict[int, str]:
    return dict(Case.objects.filter(pk__in=set(case_ids)).values_list("pk", "code"))


def case_ids_for_code(code: str) -> QuerySet:
    """A subquery of the ids of cases with this code (none or one)."""
    return Case.objects.filter(code=code.strip().upper()).values("pk")
