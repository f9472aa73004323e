"""The rights scorecard: rights and their criteria (rows) × the state's duties and indicator kinds (columns).

Contract used by the pages, the API, the CLI and the evaluation report (`haven.research.report`):

    INDICATORS                        the catalogue, in display order (rights → criteria → indicators)
    build(scorecard, user) -> ScorecardView
                                      every indicator computed from Haven's records for the scorecard's
                                      period and province, through the reports' disclosure control, with
                                      the evaluator's rating and note (the note is a sealed read: audited)

Values are never stored; only ratings and notes are (`ScorecardRating`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from haven.research.models import Scorecard


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, e.g. "support.hardship.decided_in_time"
    right: str  # "protection" | "support" | "reception" | "compensation" | "information"
    criterion: str  # the criterion's code within the right, e.g. "hardship_allowance"
    duty: str  # Duty value
    kind: str  # IndicatorKind value
    title: Any  # lazy translated text
    citation: str = ""


@dataclass
class Figure:
    """One published number: a share (numerator of denominator), a count, or a structural answer."""

    numerator: int | None = None
    denominator: int | None = None
    display: str = ""  # what the page prints: "12 of 40 (30 %)", "suppressed", "Yes, amount not set"
    suppressed: bool = False
    reason: str = ""  # why suppressed / why no value (translated)
    confidence: str = ""  # structural: confirmed / reported / unverified


@dataclass
class IndicatorValue:
    indicator: Indicator
    figure: Figure
    data_note: str  # the data behind it, in words (translated)
    breakdowns: dict[str, list[tuple[str, Figure]]] = field(default_factory=dict)  # "sex" → [(label, figure)]
    rating: str = ""  # Rating value or ""
    rating_label: str = ""
    note: str = ""  # evaluator's note (decrypted; audited read)


@dataclass
class ScorecardView:
    scorecard: Scorecard
    period_label: str
    place_label: str
    k: int
    rows: list[tuple[str, str, str, list[IndicatorValue]]]  # (right, criterion code, criterion title, values)
    computed_at: dt.datetime | None = None


INDICATORS: list[Indicator] = []


def build(scorecard: Scorecard, user: Any, *, channel: str = "web") -> ScorecardView:  # pragma: no cover - filled in
    raise NotImplementedError
