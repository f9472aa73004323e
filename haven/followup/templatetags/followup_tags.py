"""Template filters other apps' pages use to point at the follow-up area."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from haven.followup.selectors import is_minor

register = template.Library()


@register.filter
def is_minor_today(case: Any) -> bool:
    """Whether leaving a facility today needs an approved safety assessment of the home (Decree 09/2013 Art. 21)."""
    return is_minor(case, timezone.localdate())
