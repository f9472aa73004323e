"""The directory's panel on the dashboard: the gaps of the user's province, for supervisors and
agency administrators, who can act on them (ask for a service, or add one)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.accounts.models import Role
from haven.directory.selectors import default_province, directory_gaps

PANEL_ROLES = frozenset({Role.SUPERVISOR, Role.AGENCY_ADMIN})
SHOWN = 5


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    if not (user.is_authenticated and user.role in PANEL_ROLES):
        return None
    province = default_province(user)
    if province is None:
        return None
    gaps = directory_gaps(province)
    if not gaps.gaps:
        return None
    sentences = gaps.sentences()
    return {"template": "directory/_panel.html", "province": province, "sentences": sentences[:SHOWN],
            "more": max(len(sentences) - SHOWN, 0), "total": len(sentences)}
