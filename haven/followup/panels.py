"""The follow-up panel on the dashboard: overdue visits of my agency's plans (or its cases), and, for
supervisors, safety assessments awaiting their approval. Case codes only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from haven.accounts.models import Role
from haven.cases.page_helpers import works_cases
from haven.followup.selectors import assessments_waiting, visits_overdue


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not works_cases(user):
        return None
    overdue = visits_overdue(user, timezone.localdate())
    count = overdue.count()
    waiting = assessments_waiting(user).count() if user.role == Role.SUPERVISOR else None
    if not count and not waiting:
        return None
    return {"template": "followup/_panel.html", "overdue": list(overdue[:10]), "overdue_count": count,
            "waiting": waiting}
