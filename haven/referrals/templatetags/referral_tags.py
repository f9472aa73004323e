"""Template helpers of the referral pages."""

from __future__ import annotations

from django import template

from haven.referrals.items import item_label

register = template.Library()

_STATUS_CSS = {
    "sent": "warn", "accepted": "ok", "completed": "ok", "declined": "danger", "cancelled": "",
    "requested": "warn",
}


@register.filter
def referral_item(code: str) -> str:
    """A requested support item by its name in the reader's language."""
    return item_label(code)


@register.filter
def status_css(status: str) -> str:
    return _STATUS_CSS.get(status, "")


@register.filter
def shared_fields(fields: list[str]) -> str:
    """The identity fields a referral shared, named, in the order of the identity page."""
    from haven.accounts.models import IdentityField

    order = list(IdentityField.values)
    known = sorted((f for f in fields or [] if f in order), key=order.index)
    return ", ".join(str(IdentityField(f).label) for f in known)
