"""The dashboard (what each role needs first) and the error pages."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from haven.accounts.models import Role, User
from haven.cases import page_helpers as pages
from haven.cases.selectors import break_glass_pending_review
from haven.cases.services import signoffs_for_agency
from haven.core.disclosure import DEFAULT_K, suppress_counts
from haven.entitlements.services import overdue_steps

DASHBOARD_LIST_LIMIT = 15
# Each area adds its own panel to the dashboard; a panel function returns None when it has nothing
# for this user.
DASHBOARD_PANELS = (
    "haven.referrals.panels.dashboard_panel",
    "haven.support.panels.dashboard_panel",
    "haven.budgets.panels.dashboard_panel",
    "haven.directory.panels.dashboard_panel",
    "haven.protection.panels.dashboard_panel",
    "haven.followup.panels.dashboard_panel",
    "haven.legal.panels.dashboard_panel",
    "haven.reports.panels.dashboard_panel",
    "haven.exchange.panels.dashboard_panel",
    "haven.research.panels.dashboard_panel",
)


def _panels(request: HttpRequest, user: User) -> list[dict[str, Any]]:
    found = (import_string(path)(request, user) for path in DASHBOARD_PANELS)
    return [panel for panel in found if panel]


def _suppressed(rows: list[Any]) -> tuple[list[tuple[Any, Any, int | None]], int | None]:
    shown, total = suppress_counts([n for *_, n in rows])
    return [(value, name, n) for (value, name, _n), n in zip(rows, shown, strict=True)], total


def _overdue_steps(user: User) -> list[dict[str, Any]]:
    """Application steps past their due date in the supervisor's agency (case codes only, no names)."""
    english = (get_language() or "vi").startswith("en")
    steps = overdue_steps(user).order_by("due_on", "pk")[:DASHBOARD_LIST_LIMIT]
    return [{"step": s, "case": s.application.case, "item": s.application.get_item_display(),
             "body": s.body_en if english else s.body_vi} for s in steps]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    context: dict[str, Any] = {}
    if pages.works_cases(user):
        # Case codes only: names appear on the case list and the case page, where each read is logged.
        if user.role == Role.SUPERVISOR:
            caseload = list(pages.agency_open_cases(user)[:200])
        else:
            caseload = list(pages.my_open_cases(user)[:200])
        signoffs = list(signoffs_for_agency(user).order_by("due_on")[:50])
        waiting = pages.pending_signoffs_on_own_cases(user)
        overdue_waiting = [s for s in waiting if s.is_overdue()]
        mine = [c for c in caseload if c.assigned_worker_id == user.pk]
        context.update(
            cases=caseload[:DASHBOARD_LIST_LIMIT],
            case_count=len(caseload),
            tasks=pages.tasks_for(mine, [s for s in overdue_waiting if s.case.assigned_worker_id == user.pk]
                                  if user.role != Role.SUPERVISOR else overdue_waiting)[:DASHBOARD_LIST_LIMIT],
            signoffs_to_sign=signoffs,
            overdue_to_sign=sum(1 for s in signoffs if s.is_overdue()),
            waiting_signoffs=waiting[:DASHBOARD_LIST_LIMIT],
            overdue_waiting=len(overdue_waiting),
            overdue_steps=_overdue_steps(user),
            break_glass=list(break_glass_pending_review(user).select_related("user__agency")[:DASHBOARD_LIST_LIMIT]),
        )
        template = "core/dashboard_cases.html"
    elif user.role == Role.STATISTICIAN:
        # Counts only, with small numbers hidden: a "1" in a province can point at a person.
        by_status, total = _suppressed(pages.status_counts())
        by_category, _ = _suppressed(pages.category_counts())
        context.update(by_status=by_status, by_category=by_category, total=total, k=DEFAULT_K)
        from haven.reports.dashboard import statistician_trends

        context.update(statistician_trends())
        template = "core/dashboard_statistician.html"
    else:
        template = "core/dashboard_other.html"
    context["panels"] = _panels(request, user)
    return render(request, template, context)
