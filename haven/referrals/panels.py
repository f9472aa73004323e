"""The referrals panel of the dashboard: overdue referrals received and sent, and open transfers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.referrals.selectors import panel_data
from haven.referrals.services import works_cases


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Caseworkers and supervisors only; nothing shown when there is nothing to chase. Case codes, no names."""
    if not works_cases(user):
        return None
    data = panel_data(user)
    if data.empty:
        return None
    return {"template": "referrals/_panel.html", "data": data}
