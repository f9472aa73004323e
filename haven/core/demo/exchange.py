"""Demo data for exchange."""

from __future__ import annotations

from typing import Any


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
