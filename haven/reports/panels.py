"""The reports panel: for supervisors and statisticians, where the statistics are, whether this user
may see official figures, and what is left of this year's national privacy budget. Counts only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from haven.accounts.models import Role
from haven.reports import services


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if getattr(user, "role", None) not in (Role.SUPERVISOR, Role.STATISTICIAN):
        return None
    year = timezone.localdate().year - 1
    budget = services.budget_for(year, None)
    return {"template": "reports/_panel.html", "official": services.may_run_official(user), "year": year,
            "budget": services.budget_status(budget) if budget else None}
