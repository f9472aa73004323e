"""The names of entitlement items in the language of the request: one place for every app.

The engine keeps its wording in both languages (engine/texts.yaml) because the API also sends
{"vi", "en"}; pages and commands use these helpers.
"""

from __future__ import annotations

from haven.core.text import current_language
from haven.entitlements.engine.render import texts

__all__ = ["current_language", "item_label"]


def item_label(code: str, lang: str | None = None) -> str:
    """The item's name, or its code when the engine does not know it (never an error on a page)."""
    names = texts().items.get(code)
    return names[lang or current_language()] if names else code
