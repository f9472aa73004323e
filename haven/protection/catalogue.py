"""The catalogue of protection measures in force on a date, from `data/measures.yaml` (dated data, never code).

Decree 62/2012/NĐ-CP Art. 7 (from 2012-10-10, confirmed) lists eight measures. From 2025-07-01 Law
53/2024/QH15 applies; the instrument that lists its measures is not in our legal reference, so that
catalogue keeps the same eight with `confidence: unverified`, and the pages say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "measures.yaml"


@dataclass(frozen=True)
class MeasureKind:
    code: str
    clause: int
    names: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Catalogue:
    code: str
    instrument: str
    article: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str
    notes: dict[str, str]
    measures: tuple[MeasureKind, ...]

    def kind(self, code: str) -> MeasureKind | None:
        return next((m for m in self.measures if m.code == code), None)

    def note(self, lang: str) -> str:
        return self.notes.get(lang) or self.notes["en"]

    @property
    def citation(self) -> str:
        return f"{self.instrument} {self.article}"


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@lru_cache(maxsize=1)
def catalogues() -> tuple[Catalogue, ...]:
    document = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    found = []
    for entry in document["catalogues"]:
        start = _date(entry["valid_from"])
        assert start is not None
        found.append(Catalogue(
            code=entry["code"], instrument=entry["instrument"], article=entry["article"], valid_from=start,
            valid_to=_date(entry.get("valid_to")), confidence=entry["confidence"], notes=dict(entry["note"]),
            measures=tuple(MeasureKind(m["code"], int(m["clause"]), {"en": m["en"], "vi": m["vi"]})
                           for m in entry["measures"]),
        ))
    return tuple(sorted(found, key=lambda c: c.valid_from))


def catalogue_on(day: dt.date) -> Catalogue | None:
    """The catalogue in force on `day`, or None before Decree 62/2012 took effect."""
    for catalogue in catalogues():
        if catalogue.valid_from <= day and (catalogue.valid_to is None or day <= catalogue.valid_to):
            return catalogue
    return None


def catalogue_by_code(code: str) -> Catalogue | None:
    return next((c for c in catalogues() if c.code == code), None)


def measure_name(catalogue_code: str, kind: str, lang: str) -> str:
    catalogue = catalogue_by_code(catalogue_code)
    found = catalogue.kind(kind) if catalogue else None
    return found.name(lang) if found else kind
