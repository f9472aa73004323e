from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """2000000 → "2.000.000 đ" in Vietnamese, "2,000,000 VND" in English."""
    if amount is None:
        return ""
    grouped = f"{int(amount):,}"
    if (get_language() or "vi").startswith("vi"):
        return grouped.replace(",", ".") + " đ"
    return grouped + " VND"
