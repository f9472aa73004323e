"""The names of entitlement items in the language of the request: one place for every app.

The engine keeps its wording in both languages (engine/texts.yaml) because the API also sends
{"vi", "en"}; pages and commands use these helpers.
"""

from __future__ import annotations

from django.utils.translation import get_language

from haven.entitlements.engine.render import texts


def current_language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def item_label(code: str, lang: str | None = None) -> str:
    """The item's name, or its code when the engine does not know it (never an error on a page)."""
    names = texts().items.get(code)
    return names[lang or current_language()] if names else code
