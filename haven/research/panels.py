"""The research panel on the dashboard: the studies the user is a member of (titles only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.research.selectors import studies_of


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    studies = list(studies_of(user)[:5])
    if not studies:
        return None
    return {"template": "research/_panel.html", "studies": studies}
