"""Small-number suppression for counts shown to people who must not learn about individuals.

This is the minimal rule for one-way tables with a total (dashboards); the reports work (issue 6)
adds two-way tables and differential privacy on top. A count of 1 to k-1 is hidden (primary
suppression); if that leaves a single hidden cell, the smallest other non-zero cell is hidden too,
so the hidden one cannot be worked out from the total (secondary suppression).
"""

from __future__ import annotations

DEFAULT_K = 5


def suppress_counts(counts: list[int], k: int = DEFAULT_K) -> tuple[list[int | None], int | None]:
    """The counts with hidden cells as None, and the total (None if the total itself is small)."""
    total = sum(counts)
    shown: list[int | None] = [None if 0 < n < k else n for n in counts]
    hidden = [i for i, n in enumerate(shown) if n is None]
    if len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(counts) if i not in hidden and n > 0]
        if others:
            shown[min(others)[1]] = None
    return shown, (None if 0 < total < k else total)
