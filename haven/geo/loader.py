"""Load administrative units from the dated YAML files in `haven/geo/data/` (see lao_cai.yaml).

Idempotent: units are matched by code and updated in place; units missing from the files are left
alone, because agencies and cases may point at them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from haven.geo.models import AdminUnit, UnitLevel

DATA_DIR = Path(__file__).resolve().parent / "data"

_CHILD_LEVELS = {"districts": UnitLevel.DISTRICT, "communes": UnitLevel.COMMUNE}
_KEYS = {"code", "name", "level", "valid_from", "valid_to", "successor", "confidence", "note", *_CHILD_LEVELS}
_LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


class GeoDataError(Exception):
    """A data file is malformed; the message names the file and the unit."""


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor_code: str | None


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def ascii_name(name: str) -> str:
    """"Xã Y Tý" -> "Xa Y Ty": accents dropped, case kept (đ is a letter of its own, mapped by hand)."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _date(value: Any, what: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise GeoDataError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _walk(item: Any, *, parent: UnitSpec | None, level: str | None, where: str, out: list[UnitSpec]) -> None:
    if not isinstance(item, dict):
        raise GeoDataError(f"{where}: each unit is a mapping with code, name and level")
    unknown = set(item) - _KEYS
    code = str(item.get("code") or "")
    if unknown:
        raise GeoDataError(f"{where} {code}: unknown keys {sorted(unknown)}")
    if not code or not item.get("name"):
        raise GeoDataError(f"{where}: a unit needs a code and a name")
    level = item.get("level") or level
    if level not in _LEVEL_ORDER:
        raise GeoDataError(f"{where} {code}: level must be one of {sorted(_LEVEL_ORDER)}")
    if parent is not None:
        if not code.startswith(parent.code + "/"):
            raise GeoDataError(f"{where} {code}: a child's code starts with its parent's code and '/'")
        if _LEVEL_ORDER[level] <= _LEVEL_ORDER[parent.level]:  # type: ignore[index]
            raise GeoDataError(f"{where} {code}: a {level} cannot sit under a {parent.level}")
    valid_from = _date(item.get("valid_from"), f"{where} {code}") or (parent.valid_from if parent else None)
    if valid_from is None:
        raise GeoDataError(f"{where} {code}: valid_from is required")
    valid_to = _date(item.get("valid_to"), f"{where} {code}") if "valid_to" in item else (
        parent.valid_to if parent else None
    )
    if valid_to is not None and valid_to < valid_from:
        raise GeoDataError(f"{where} {code}: valid_to is before valid_from")
    spec = UnitSpec(
        code=code, name=str(item["name"]).strip(), level=str(level), parent_code=parent.code if parent else None,
        valid_from=valid_from, valid_to=valid_to, successor_code=item.get("successor") or None,
    )
    out.append(spec)
    for key, child_level in _CHILD_LEVELS.items():
        for child in item.get(key) or []:
            _walk(child, parent=spec, level=child_level, where=where, out=out)


def read_units(directory: Path = DATA_DIR) -> list[UnitSpec]:
    """Every unit in every *.yaml file of the directory, parents before children."""
    specs: list[UnitSpec] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise GeoDataError(f"no *.yaml files in {directory}")
    for path in files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise GeoDataError(f"{path.name}: not valid YAML: {exc}") from exc
        for item in document.get("units") or []:
            _walk(item, parent=None, level=None, where=path.name, out=specs)
    codes = [s.code for s in specs]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise GeoDataError(f"codes defined twice: {', '.join(duplicates)}")
    known = set(codes)
    for spec in specs:
        if spec.successor_code and spec.successor_code not in known:
            raise GeoDataError(f"{spec.code}: successor {spec.successor_code!r} is not defined")
    return specs


@transaction.atomic
def load_units(specs: list[UnitSpec]) -> LoadResult:
    """Create or update the units; successors are linked in a second pass (they may come later)."""
    by_code: dict[str, AdminUnit] = {u.code: u for u in AdminUnit.objects.filter(code__in=[s.code for s in specs])}
    created: set[str] = set()
    updated: set[str] = set()
    for spec in specs:
        wanted = {
            "name": spec.name, "name_ascii": ascii_name(spec.name), "level": spec.level,
            "parent_id": by_code[spec.parent_code].pk if spec.parent_code else None,
            "valid_from": spec.valid_from, "valid_to": spec.valid_to,
        }
        unit = by_code.get(spec.code)
        if unit is None:
            by_code[spec.code] = AdminUnit.objects.create(code=spec.code, **wanted)
            created.add(spec.code)
            continue
        changed = [k for k, val in wanted.items() if getattr(unit, k) != val]
        if changed:
            for key in changed:
                setattr(unit, key, wanted[key])
            unit.save(update_fields=changed)
            updated.add(spec.code)
    for spec in specs:
        unit = by_code[spec.code]
        successor_id = by_code[spec.successor_code].pk if spec.successor_code else None
        if unit.successor_id != successor_id:
            unit.successor_id = successor_id
            unit.save(update_fields=["successor"])
            if spec.code not in created:
                updated.add(spec.code)
    return LoadResult(len(created), len(updated), len(specs) - len(created) - len(updated))


def geo_load(directory: Path = DATA_DIR) -> LoadResult:
    return load_units(read_units(directory))
