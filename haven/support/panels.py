"""The support panel on the dashboard: entries awaiting a supervisor's approval, and stays near or past
their state-paid limit. Case codes only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from haven.accounts.models import Role
from haven.cases.page_helpers import works_cases
from haven.support.selectors import approvals_waiting, stays_near_limit
from haven.support.stays import stay_limit


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not works_cases(user):
        return None
    today = timezone.localdate()
    near = [{"stay": s, "limit": stay_limit(s, today)} for s in stays_near_limit(user, today)[:10]]
    waiting = approvals_waiting(user).exclude(recorded_by=user).count() if user.role == Role.SUPERVISOR else None
    if not near and not waiting:
        return None
    return {"template": "support/_panel.html", "near": near, "waiting": waiting}
