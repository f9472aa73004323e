"""This app's panel on the dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def dashboard_panel(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Return {"template": ..., **context} to show a panel on the user's dashboard, or None."""
    return None
