"""The protection banner on every case page and the risk column of case lists (one batched query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from haven.protection.catalogue import measure_name
from haven.protection.models import RiskLevel
from haven.protection.present import lang
from haven.protection.selectors import banner_for, risk_levels_for

register = template.Library()


@register.inclusion_tag("protection/_banner_body.html")
def protection_banner(case: Any) -> dict[str, Any]:
    if case is None or not getattr(case, "pk", None):
        return {"banner": None}
    banner = banner_for(case)
    language = lang()
    return {"banner": banner, "case": case,
            "measures": [measure_name(m.catalogue, m.kind, language) for m in banner.in_force]}


@register.simple_tag
def risk_levels(cases: Any) -> dict[int, str]:
    """Current risk levels of the listed cases (the dashboard's list): one query whatever their number."""
    return risk_levels_for(c.pk for c in cases or [])


@register.simple_tag
def risk_badge(level: Any) -> str:
    """The badge of a risk level (or "not assessed"). Built here, not by an included template: a case list
    shows one a row, and 25 template renders were a fifth of the page's time."""
    if not level:
        return format_html('<span class="muted" data-risk="">{}</span>', gettext("not assessed"))
    tone = {"high": " warn", "critical": " danger"}.get(level, "")
    label = RiskLevel(level).label if level in RiskLevel.values else ""
    return format_html('<span class="badge risk-{}{}" data-risk="{}">{}</span>', level, tone, level, label)
