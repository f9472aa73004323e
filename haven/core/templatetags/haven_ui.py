"""Template helpers: labels for stored choice values, dates in the reader's language, form fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import AgencyKind, IdentityField, Role
from haven.audit.models import AuditAction
from haven.cases import page_helpers
from haven.cases.models import (
    Category,
    Ethnicity,
    Exploitation,
    IdentifiedAt,
    Language,
    MeansOfControl,
    ReturnMode,
    Sex,
    Signoff,
    Status,
)
from haven.consent.models import Decision, GivenBy, Method, Purpose
from haven.core.forms import country_name
from haven.entitlements.labels import item_label

register = template.Library()

_ENUMS: dict[str, Any] = {
    "AgencyKind": AgencyKind, "AuditAction": AuditAction, "Category": Category, "Decision": Decision,
    "Ethnicity": Ethnicity, "Exploitation": Exploitation, "GivenBy": GivenBy, "IdentifiedAt": IdentifiedAt,
    "IdentityField": IdentityField, "Language": Language, "MeansOfControl": MeansOfControl, "Method": Method,
    "Purpose": Purpose, "ReturnMode": ReturnMode, "Role": Role, "Sex": Sex, "SignoffDecision": Signoff.Decision,
    "Status": Status,
}
# Sealed consent fields are not identity fields of the person, but are shown and logged like them.
_EXTRA_FIELD_LABELS = {"guardian_name": _("Guardian's name"), "witness_name": _("Witness's name")}


def _is_en() -> bool:
    return (get_language() or "vi").startswith("en")


@register.filter
def label(value: Any, enum_name: str) -> Any:
    """The translated label of a stored choice value; the raw value if it is not a known choice."""
    if value in (None, ""):
        return ""
    enum = _ENUMS[enum_name]
    try:
        return enum(value).label
    except ValueError:
        if enum_name == "IdentityField" and value in _EXTRA_FIELD_LABELS:
            return _EXTRA_FIELD_LABELS[value]
        return value


@register.filter
def labels(values: Any, enum_name: str) -> str:
    return ", ".join(str(label(v, enum_name)) for v in (values or []))


@register.filter
def item_name(code: str) -> str:
    """An entitlement item's name in the page's language."""
    return item_label(code)


@register.filter
def agency_name(agency: Any) -> str:
    if agency is None:
        return ""
    return agency.display_name("en" if _is_en() else "vi")


@register.filter
def country(code: str) -> str:
    return country_name(code or "")


@register.filter
def day(value: Any) -> str:
    """A date as Vietnamese readers write it (17/05/2003), or as English readers do (17 May 2003)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return dateformat.format(value, "j M Y" if _is_en() else "d/m/Y")


@register.filter
def moment(value: Any) -> str:
    """A point in time, in Vietnam's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return dateformat.format(local, "j M Y, H:i" if _is_en() else "H:i d/m/Y")


@register.filter
def person_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@register.filter
def works_cases(user: Any) -> bool:
    return page_helpers.works_cases(user)


@register.filter
def reads_audit(user: Any) -> bool:
    return page_helpers.reads_audit(user)


@register.filter
def is_overdue(signoff: Signoff) -> bool:
    return signoff.is_overdue()


@register.inclusion_tag("includes/field.html")
def field(bound: BoundField, css: str = "") -> dict[str, Any]:
    widget = bound.field.widget
    return {
        "f": bound,
        "css": css,
        "is_multi": getattr(widget, "allow_multiple_selected", False) and widget.input_type == "checkbox"
        if hasattr(widget, "input_type") else False,
        "is_check": getattr(widget, "input_type", "") == "checkbox"
        and not getattr(widget, "allow_multiple_selected", False),
    }


@register.simple_tag(takes_context=True)
def current(context: Any, *names: str) -> str:
    """aria-current="page" on the navigation link of the page being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    view_name = match.view_name if match else ""
    return mark_safe('aria-current="page"') if view_name in names else ""  # noqa: S308 (a constant)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def format_changes(changes: Any) -> str:
    """An audit event's changes as "status: reception → verification"; values are codes, never identity."""
    if not isinstance(changes, dict):
        return ""
    parts = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("—" if v in (None, "") else v for v in value)
            parts.append(f"{key}: {old} → {new}")
        elif value not in (None, "", [], {}):
            parts.append(f"{key}: {value}")
    return "; ".join(parts)
