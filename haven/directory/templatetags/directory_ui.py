"""Template helpers of the directory: names of needs and languages, and whom an offering accepts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from haven.directory.catalogue import language_name, need_name

register = template.Library()


@register.filter
def need_names(codes: Any) -> str:
    return ", ".join(need_name(c) for c in codes or [])


@register.filter
def language_names(codes: Any) -> str:
    return ", ".join(language_name(c) for c in codes or [])


@register.filter
def accepts(offering: Any) -> str:
    """"Women and girls, 11 and older" / "Everyone, any age"."""
    sexes = offering.sexes
    who = _("Everyone") if len(sexes) == 2 else (_("Women and girls") if sexes == ["female"] else _("Men and boys"))
    low, high = offering.min_age, offering.max_age
    if low is None and high is None:
        ages = _("any age")
    elif high is None:
        ages = _("%(n)d and older") % {"n": low}
    elif low is None:
        ages = _("up to %(n)d") % {"n": high}
    else:
        ages = _("%(low)d to %(high)d") % {"low": low, "high": high}
    return f"{who}, {ages}"
