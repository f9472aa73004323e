"""The Justice panel on the dashboard: for supervisors, awards not paid in full on their agency's cases;
for a legal aid agency, requests waiting for its decision. Counts only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.accounts.models import Role
from haven.cases.page_helpers import works_cases
from haven.legal.selectors import PaymentState, aid_waiting, visible_awards


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not works_cases(user):
        return None
    rows: Any = visible_awards(user)
    unpaid = rows.exclude(payment_state=PaymentState.FULL).count() if user.role == Role.SUPERVISOR else None
    waiting = aid_waiting(user).count()
    if not unpaid and not waiting:
        return None
    return {"template": "legal/_panel.html", "unpaid": unpaid, "waiting": waiting}
