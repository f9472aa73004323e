"""The person profile the rules read, and its parsing from JSON with clear errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("victim", "under_identification", "accompanying_minor")
LOCATIONS = ("vietnam", "abroad")
CITIZEN_NATIONALITIES = ("VN", "stateless_resident")
SEXES = {"F": "F", "M": "M", "X": "X", "female": "F", "male": "M", "other": "X"}
PROVINCE_SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$")
BOOLEAN_FIELDS = (
    "poor_household",
    "near_poor_household",
    "financial_difficulty",
    "has_health_insurance",
    "has_relatives",
    "revolutionary_merit_family",
)
DATE_FIELDS = ("birth_date", "identified_on", "accompanies", "application_received_on", "reported_on")
REQUIRED_FIELDS = ("id", "category", "nationality", "located")
KNOWN_FIELDS = frozenset(
    REQUIRED_FIELDS + BOOLEAN_FIELDS + DATE_FIELDS + ("sex", "province", "shelter_stay")
)
# ISO 3166-1 alpha-2 codes (249 officially assigned codes).
ISO_ALPHA2 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())


class ProfileError(ValueError):
    """A profile that cannot be evaluated; the message names the profile and the field."""


@dataclass(frozen=True, slots=True)
class ShelterStay:
    """A stay at a shelter or support facility; `to` is None while the stay goes on."""

    start: dt.date
    end: dt.date | None

    def last_day(self, on: dt.date) -> dt.date:
        """The last day of the stay counted on `on`: `end`, or `on` for an ongoing stay."""
        return self.end if self.end is not None else on

    def days(self, on: dt.date) -> int:
        """Days of the stay, first and last day included."""
        return (self.last_day(on) - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Profile:
    """What the rules need to know about one person. None means 'not known'."""

    id: str | int
    category: str
    nationality: str
    located: str
    birth_date: dt.date | None = None
    sex: str | None = None
    identified_on: dt.date | None = None
    accompanies: dt.date | None = None
    province: str | None = None
    poor_household: bool | None = None
    near_poor_household: bool | None = None
    financial_difficulty: bool | None = None
    has_health_insurance: bool | None = None
    has_relatives: bool | None = None
    revolutionary_merit_family: bool | None = None
    shelter_stay: ShelterStay | None = None
    application_received_on: dt.date | None = None
    reported_on: dt.date | None = None

    @property
    def is_citizen(self) -> bool:
        """Vietnamese citizen or stateless permanent resident (same rights under both laws)."""
        return self.nationality in CITIZEN_NATIONALITIES


def _fail(pid: Any, name: str, message: str) -> ProfileError:
    return ProfileError(f"profile {pid!r}: {name}: {message}")


def _date(pid: Any, name: str, raw: Any) -> dt.date | None:
    if raw is None:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise _fail(pid, name, f"{raw!r} is not a date (YYYY-MM-DD) or null")


def _boolean(pid: Any, name: str, raw: Any) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    raise _fail(pid, name, f"{raw!r} must be true, false or null")


def _choice(pid: Any, name: str, raw: Any, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if raw not in allowed:
        raise _fail(pid, name, f"{raw!r} is not one of {', '.join(allowed)}")
    return str(raw)


def _nationality(pid: Any, raw: Any) -> str:
    if raw in CITIZEN_NATIONALITIES or raw in ISO_ALPHA2:
        return str(raw)
    raise _fail(pid, "nationality", f"{raw!r} must be VN, stateless_resident or an ISO 3166 alpha-2 code such as CN")


def _stay(pid: Any, raw: Any) -> ShelterStay | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"from", "to"} or "from" not in raw:
        raise _fail(pid, "shelter_stay", 'must be {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" or null} or null')
    start = _date(pid, "shelter_stay.from", raw["from"])
    end = _date(pid, "shelter_stay.to", raw.get("to"))
    if start is None:
        raise _fail(pid, "shelter_stay.from", "is required")
    if end is not None and end < start:
        raise _fail(pid, "shelter_stay", f"to {end} is before from {start}")
    return ShelterStay(start, end)


def _province(pid: Any, raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str) and PROVINCE_SLUG.match(raw):
        return raw
    raise _fail(pid, "province", f"{raw!r} must be a lower-case ASCII slug such as lao-cai")


def _sex(pid: Any, raw: Any) -> str | None:
    if raw is None:
        return None
    if raw in SEXES:
        return SEXES[raw]
    raise _fail(pid, "sex", f"{raw!r} must be F, M, X (or female, male, other) or null")


def parse_profile(data: Mapping[str, Any]) -> Profile:
    """Build a Profile from a JSON object, raising ProfileError with the field at fault."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"a profile must be a JSON object, got {type(data).__name__}")
    pid = data.get("id")
    if not isinstance(pid, str | int) or isinstance(pid, bool) or pid == "":
        raise ProfileError(f"profile {pid!r}: id must be a non-empty string or an integer")
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        raise _fail(pid, unknown[0], f"unknown field (known fields: {', '.join(sorted(KNOWN_FIELDS))})")
    for name in REQUIRED_FIELDS:
        if data.get(name) is None:
            raise _fail(pid, name, "is required")
    fields: dict[str, Any] = {name: _date(pid, name, data.get(name)) for name in DATE_FIELDS}
    fields |= {name: _boolean(pid, name, data.get(name)) for name in BOOLEAN_FIELDS}
    profile = Profile(
        id=pid,
        category=_choice(pid, "category", data["category"], CATEGORIES),
        nationality=_nationality(pid, data["nationality"]),
        located=_choice(pid, "located", data["located"], LOCATIONS),
        sex=_sex(pid, data.get("sex")),
        province=_province(pid, data.get("province")),
        shelter_stay=_stay(pid, data.get("shelter_stay")),
        **fields,
    )
    _check_category_dates(profile)
    return profile


def _check_category_dates(p: Profile) -> None:
    if p.category == "victim" and p.identified_on is None:
        raise _fail(p.id, "identified_on", "is required for a victim (the date of the identification decision)")
    if p.category != "victim" and p.identified_on is not None:
        raise _fail(p.id, "identified_on", f"must be null for {p.category}; use category victim once identified")
    if p.category == "accompanying_minor" and p.accompanies is None:
        raise _fail(p.id, "accompanies", "is required for an accompanying minor (the victim's identified_on)")
    if p.category != "accompanying_minor" and p.accompanies is not None:
        raise _fail(p.id, "accompanies", "is only for an accompanying minor")


def parse_profiles(data: Any) -> list[Profile]:
    """Parse a JSON list of profiles; ids must be unique."""
    if not isinstance(data, list):
        raise ProfileError("the input must be a JSON list of profiles")
    profiles = [parse_profile(item) for item in data]
    seen: set[str | int] = set()
    for p in profiles:
        if p.id in seen:
            raise ProfileError(f"profile {p.id!r}: id: appears more than once")
        seen.add(p.id)
    return profiles


def check_against_date(p: Profile, on: dt.date) -> None:
    """Checks that need the evaluation date."""
    key = p.identified_on or p.accompanies
    if key is not None and key > on:
        name = "identified_on" if p.identified_on else "accompanies"
        raise _fail(p.id, name, f"{key} is after the evaluation date {on}")
    stay = p.shelter_stay
    if stay is not None and stay.end is None and stay.start > on:
        raise _fail(p.id, "shelter_stay", f"starts {stay.start}, after {on}; give 'to' for a planned stay")
