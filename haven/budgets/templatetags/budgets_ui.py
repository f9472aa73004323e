"""Money and percentages as people write them: 1.200.000 in Vietnamese, 1,200,000 in English."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@register.filter
def dong(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = f"{int(round(float(value))):,}"
    return text if _english() else text.replace(",", ".")


@register.filter
def decimal1(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.1f}"
    return text if _english() else text.replace(",", " ").replace(".", ",")
