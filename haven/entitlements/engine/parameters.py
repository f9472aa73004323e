"""Dated, cited parameters: loading, validation and lookup by code, date and province.

A parameter (e.g. `food.daily_rate`) has a unit and a list of values. Each value has
`valid_from`, an optional `valid_to` (inclusive), a scope (`national` or a province slug such as
`lao-cai`), a citation {instrument, article} and a confidence label:

- confirmed: a source quotes the legal text;
- reported: stated by officials or a study (e.g. the Lao Cai seed study);
- unverified: not confirmed; the value carries NO number and the rule reports the amount as
  not set.

A law change adds a new dated value; values are never edited in place. Values added at runtime
(e.g. official provincial figures entered by an administrator) go through
`ParameterStore.with_values`, which returns a new store and leaves the shipped files alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PARAMS_DIR = Path(__file__).with_name("params")
UNITS = frozenset({"VND", "VND/day", "days", "months", "working_days", "percent"})
CONFIDENCE_RANK = {"unverified": 0, "reported": 1, "confirmed": 2}
NATIONAL = "national"
PROVINCE_SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$")
FILE_LAYER = 0
RUNTIME_LAYER = 1
VALUE_FIELDS = frozenset(
    {"code", "valid_from", "valid_to", "scope", "value", "citation", "confidence", "note", "unit"}
)


class ParameterError(ValueError):
    """A malformed parameter file or value."""


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule or value comes from. `article` is None when the source gives none."""

    instrument: str
    article: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"instrument": self.instrument, "article": self.article}


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """One dated value of a parameter, in one scope."""

    code: str
    value: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    scope: str
    unit: str
    citation: Citation
    confidence: str
    note: str = ""
    layer: int = FILE_LAYER

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: ParameterValue) -> bool:
        ends_before = self.valid_to is not None and self.valid_to < other.valid_from
        starts_after = other.valid_to is not None and other.valid_to < self.valid_from
        return not (ends_before or starts_after)


@dataclass(frozen=True, slots=True)
class ParameterDefinition:
    """A parameter's code, unit and description."""

    code: str
    unit: str
    description: Mapping[str, str] = field(default_factory=dict)


def _as_date(raw: Any, where: str, name: str, *, required: bool) -> dt.date | None:
    if raw is None and not required:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: {name} must be a date YYYY-MM-DD, got {raw!r}")


def _as_citation(raw: Any, where: str) -> Citation:
    if isinstance(raw, Citation):
        return raw
    if not isinstance(raw, Mapping) or not raw.get("instrument"):
        raise ParameterError(f"{where}: citation must be {{instrument, article}} with an instrument")
    article = raw.get("article")
    if article is not None and not isinstance(article, str):
        raise ParameterError(f"{where}: citation article must be text or null")
    return Citation(str(raw["instrument"]), article)


def _check_value(raw: Any, confidence: str, where: str) -> int | None:
    if confidence == "unverified":
        if raw is not None:
            raise ParameterError(f"{where}: an unverified value must have no number (value: null)")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ParameterError(f"{where}: a {confidence} value must be a whole number, got {raw!r}")
    if raw < 0:
        raise ParameterError(f"{where}: value must not be negative")
    return raw


def parse_value(raw: Mapping[str, Any], definition: ParameterDefinition, *, where: str,
                layer: int = FILE_LAYER) -> ParameterValue:
    """Validate one value mapping (from YAML or from the database) against its definition."""
    unknown = set(raw) - VALUE_FIELDS
    if unknown:
        raise ParameterError(f"{where}: unknown field(s) {sorted(unknown)}")
    if raw.get("unit", definition.unit) != definition.unit:
        raise ParameterError(f"{where}: unit {raw.get('unit')!r} differs from {definition.unit!r}")
    confidence = raw.get("confidence")
    if confidence not in CONFIDENCE_RANK:
        raise ParameterError(f"{where}: confidence must be one of {sorted(CONFIDENCE_RANK)}")
    scope = raw.get("scope")
    if scope != NATIONAL and not (isinstance(scope, str) and PROVINCE_SLUG.match(scope)):
        raise ParameterError(f"{where}: scope must be 'national' or a province slug like 'lao-cai', got {scope!r}")
    valid_from = _as_date(raw.get("valid_from"), where, "valid_from", required=True)
    valid_to = _as_date(raw.get("valid_to"), where, "valid_to", required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise ParameterError(f"{where}: valid_to {valid_to} is before valid_from {valid_from}")
    return ParameterValue(
        code=definition.code,
        value=_check_value(raw.get("value"), confidence, where),
        valid_from=valid_from,
        valid_to=valid_to,
        scope=scope,
        unit=definition.unit,
        citation=_as_citation(raw.get("citation"), where),
        confidence=confidence,
        note=str(raw.get("note") or ""),
        layer=layer,
    )


def _precedence(value: ParameterValue) -> tuple[int, int, int, dt.date]:
    # A province's own value beats the national one; a runtime (database) value beats a file
    # value; then higher confidence; then the most recent valid_from.
    return (
        int(value.scope != NATIONAL),
        value.layer,
        CONFIDENCE_RANK[value.confidence],
        value.valid_from,
    )


class ParameterStore:
    """Immutable collection of parameter definitions and dated values."""

    def __init__(self, definitions: Mapping[str, ParameterDefinition], values: Iterable[ParameterValue]) -> None:
        self.definitions = dict(definitions)
        by_code: dict[str, list[ParameterValue]] = {code: [] for code in self.definitions}
        for value in values:
            if value.code not in by_code:
                raise ParameterError(f"value for unknown parameter {value.code!r}")
            by_code[value.code].append(value)
        for code, code_values in by_code.items():
            _check_overlaps(code, code_values)
            code_values.sort(key=_precedence, reverse=True)
        self._values = by_code
        self._cache: dict[tuple[str, dt.date, str | None], ParameterValue | None] = {}

    @classmethod
    def from_directory(cls, directory: Path = PARAMS_DIR) -> ParameterStore:
        """Load every `*.yaml` file of `directory`."""
        definitions: dict[str, ParameterDefinition] = {}
        values: list[ParameterValue] = []
        for path in sorted(directory.glob("*.yaml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(raw, Mapping):
                raise ParameterError(f"{path.name}: expected a mapping of parameter codes")
            for code, body in raw.items():
                definition = _merge_definition(definitions, code, body, path.name)
                for n, entry in enumerate(body.get("values") or [], start=1):
                    values.append(parse_value(entry, definition, where=f"{path.name} {code} value {n}"))
        return cls(definitions, values)

    def with_values(self, extra: Iterable[ParameterValue | Mapping[str, Any]]) -> ParameterStore:
        """A new store with extra dated values (e.g. official provincial figures from the database).

        Mappings need `code` and the same fields as the YAML files. Runtime values take
        precedence over file values of the same scope on the dates they cover; among runtime
        values of one scope the latest valid_from wins.
        """
        added: list[ParameterValue] = []
        for n, item in enumerate(extra, start=1):
            if isinstance(item, ParameterValue):
                added.append(replace(item, layer=RUNTIME_LAYER))
                continue
            code = item.get("code")
            if code not in self.definitions:
                raise ParameterError(f"runtime value {n}: unknown parameter {code!r}")
            added.append(parse_value(item, self.definitions[code], where=f"runtime value {n} ({code})",
                                     layer=RUNTIME_LAYER))
        current = [v for values in self._values.values() for v in values]
        return ParameterStore(self.definitions, current + added)

    def get(self, code: str, on: dt.date, province: str | None = None) -> ParameterValue | None:
        """The value of `code` that applies on `on` in `province` (falling back to national)."""
        key = (code, on, province)
        if key not in self._cache:
            if code not in self._values:
                raise ParameterError(f"unknown parameter {code!r}")
            self._cache[key] = next(
                (v for v in self._values[code] if v.applies_on(on) and v.scope in (NATIONAL, province)),
                None,
            )
        return self._cache[key]

    def history(self, code: str) -> list[ParameterValue]:
        """All values of `code`, oldest first."""
        return sorted(self._values[code], key=lambda v: (v.valid_from, v.scope, v.layer))

    def codes(self) -> list[str]:
        return sorted(self.definitions)


def _merge_definition(definitions: dict[str, ParameterDefinition], code: str, body: Any,
                      filename: str) -> ParameterDefinition:
    if not isinstance(body, Mapping) or body.get("unit") not in UNITS:
        raise ParameterError(f"{filename} {code}: needs a unit, one of {sorted(UNITS)}")
    known = definitions.get(code)
    if known is not None:
        if known.unit != body["unit"]:
            raise ParameterError(f"{filename} {code}: unit {body['unit']!r} differs from {known.unit!r}")
        return known
    definition = ParameterDefinition(code, body["unit"], dict(body.get("description") or {}))
    definitions[code] = definition
    return definition


def _check_overlaps(code: str, values: list[ParameterValue]) -> None:
    # In the shipped files two values of one scope must not overlap: a law change ends the old
    # value with valid_to and adds a new one. Runtime values (entered in the database, where
    # rows are never edited) may overlap; the later valid_from wins, so they only must not share
    # a start date.
    for i, first in enumerate(values):
        for second in values[i + 1:]:
            if first.scope != second.scope or first.layer != second.layer:
                continue
            if first.layer == FILE_LAYER and first.overlaps(second):
                raise ParameterError(
                    f"{code}: two {first.scope} values overlap ({first.valid_from} and {second.valid_from}); "
                    "end the older one with valid_to instead of editing it"
                )
            if first.layer == RUNTIME_LAYER and first.valid_from == second.valid_from:
                raise ParameterError(f"{code}: two {first.scope} values start on {first.valid_from}")


@lru_cache(maxsize=1)
def default_store() -> ParameterStore:
    """The store built from the shipped parameter files."""
    return ParameterStore.from_directory()
