"""The protection panel on the dashboard: threats awaiting a review (supervisors) and the agency's high and
critical risk cases. Case codes only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.accounts.models import Role
from haven.protection import selectors

LIMIT = 10


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not (user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        return None
    is_supervisor = user.role == Role.SUPERVISOR
    return {"template": "protection/_panel.html", "is_supervisor": is_supervisor,
            "threats": list(selectors.threats_awaiting_review(user)[:LIMIT]) if is_supervisor else [],
            "high_risk": selectors.high_risk_cases(user)[:LIMIT]}
