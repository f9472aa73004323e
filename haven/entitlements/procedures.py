"""Application procedures and responsible bodies, read from procedures.yaml (dated data, not code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_FILE = Path(__file__).with_name("procedures.yaml")


@dataclass(frozen=True)
class Body:
    vi: str
    en: str
    confidence: str


@dataclass(frozen=True)
class StepDefinition:
    order: int
    code: str
    role: str
    working_days: int | None
    confidence: str
    action_vi: str
    action_en: str


@dataclass(frozen=True)
class Procedure:
    regime: str
    citation: str
    items: tuple[str, ...]
    steps: tuple[StepDefinition, ...]


@cache
def _document() -> dict[str, Any]:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def procedure_for(regime: str) -> Procedure:
    raw = _document()["procedures"][regime]
    steps = tuple(
        StepDefinition(i + 1, s["code"], s["role"], s.get("working_days"), s.get("confidence", "confirmed"),
                       s["action"]["vi"], s["action"]["en"])
        for i, s in enumerate(raw["steps"])
    )
    return Procedure(regime, raw["citation"], tuple(raw["items"]), steps)


def body_on(role: str, day: dt.date) -> Body:
    """The body that plays a role on a date; the 2025 reform replaced district-level bodies."""
    for entry in _document()["bodies"][role]:
        start, end = entry["valid_from"], entry.get("valid_to")
        if start <= day and (end is None or day <= end):
            return Body(entry["name"]["vi"], entry["name"]["en"], entry.get("confidence", "confirmed"))
    raise LookupError(f"no body plays the role {role!r} on {day}")
