"""The budget panel on the dashboard: this year's spending against the estimate (supervisors), or a
link to the budgets (agency administrators, statisticians)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import Role
from haven.budgets.presenters import estimate_summary
from haven.budgets.selectors import may_use_budgets


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not may_use_budgets(user):
        return None
    panel: dict[str, Any] = {"template": "budgets/_panel.html", "url": reverse("budgets:index"), "summary": None}
    if user.role == Role.SUPERVISOR and user.agency is not None:
        today = timezone.localdate()
        panel["summary"] = estimate_summary(user.agency, today.year, today=today, with_spending=True)
    elif user.role == Role.STATISTICIAN:
        panel["text"] = _("Intake forecasts and budgets per agency, without case data.")
    else:
        panel["text"] = _("Enter your agency's estimates and its intake from paper records.")
    return panel
