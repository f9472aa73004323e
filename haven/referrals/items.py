"""What a referral may ask for: the support items of the entitlements engine, plus follow-up visits.

The engine's items carry their own wording in both languages (entitlements/engine/texts.yaml); the
one item it does not know (reintegration follow-up, which the Women's Union and communes do) is
translated here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.entitlements.engine.calendar import add_working_days
from haven.entitlements.engine.regimes import NEW_ITEMS, OLD_ITEMS_CIRCULAR84, OLD_ITEMS_DECREE09
from haven.entitlements.labels import item_label as engine_item_label

FOLLOW_UP = "follow_up"
# New regime first (what is asked for today), then the old regime's items that the new one renamed.
ENGINE_ITEMS: tuple[str, ...] = tuple(dict.fromkeys((*NEW_ITEMS, *OLD_ITEMS_CIRCULAR84, *OLD_ITEMS_DECREE09)))
REFERRAL_ITEMS: tuple[str, ...] = (*ENGINE_ITEMS, FOLLOW_UP)
_EXTRA_LABELS: dict[str, Any] = {FOLLOW_UP: _("Reintegration follow-up")}
MAX_ITEMS = len(REFERRAL_ITEMS)
# Working days the receiving agency has to answer unless the sender chooses otherwise.
DEFAULT_RESPONSE_WORKING_DAYS = 3


def item_label(code: str, lang: str | None = None) -> str:
    if code in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[code])
    return engine_item_label(code, lang)


def item_choices() -> list[tuple[str, str]]:
    return [(code, item_label(code)) for code in REFERRAL_ITEMS]


def default_due_on(today: dt.date | None = None) -> dt.date:
    """Three working days from today (weekends, public holidays and announced swaps skipped)."""
    return add_working_days(today or timezone.localdate(), DEFAULT_RESPONSE_WORKING_DAYS)
