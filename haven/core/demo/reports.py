"""Demo data for reports: the official statistics permission for the health department's supervisor
only (the demo statistician stays public-only), and an open privacy budget for last year."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission

from haven.reports.services import budget_for


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    permission = Permission.objects.get(content_type__app_label="reports", codename="view_official_statistics")
    supervisor = loader.users.get("health.supervisor")
    if supervisor is not None:
        supervisor.user_permissions.add(permission)
    budget_for(loader.today.year - 1, None, create=True)
