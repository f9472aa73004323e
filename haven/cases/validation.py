"""Input checks shared by the case services; each failure is a translated HavenError naming the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pycountry
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError

_PHONE = re.compile(r"^\+?[0-9 .\-()]{6,20}$")
_ID_NUMBER = re.compile(r"^[0-9A-Z]{6,20}$")
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


def text(value: Any, field: str, *, required: bool = False, max_length: int = 200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise HavenError(_("Enter text."), field=field)
    value = value.strip()
    if "\x00" in value:
        raise HavenError(_("The text contains a character that is not allowed."), field=field)
    if required and not value:
        raise HavenError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise HavenError(_("Too long: at most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def choice(value: Any, field: str, choices: Iterable[str], *, required: bool = True) -> str:
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or value not in set(choices):
        raise HavenError(_("Choose one of the listed options."), field=field)
    return value


def choices(values: Any, field: str, allowed: Iterable[str]) -> list[str]:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise HavenError(_("Choose from the listed options."), field=field)
    allowed_set = set(allowed)
    bad = [v for v in values if v not in allowed_set]
    if bad:
        raise HavenError(_("Not a listed option: %(values)s") % {"values": ", ".join(bad)}, field=field)
    return sorted(set(values))


def date(value: Any, field: str, *, required: bool = False, not_future: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise HavenError(_("This field is required."), field=field)
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise HavenError(_("Enter a date as YYYY-MM-DD."), field=field) from None
    if not isinstance(value, dt.date):
        raise HavenError(_("Enter a date as YYYY-MM-DD."), field=field)
    if value.year < 1900:
        raise HavenError(_("The date is too far in the past."), field=field)
    if not_future and value > timezone.localdate():
        raise HavenError(_("The date cannot be in the future."), field=field)
    return value


def year(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise HavenError(_("Enter a year such as 1998."), field=field) from None
    if isinstance(value, bool) or not 1900 <= number <= timezone.localdate().year:
        raise HavenError(_("Enter a year between 1900 and this year."), field=field)
    return number


def country(value: Any, field: str, *, required: bool = False, extra: Iterable[str] = ()) -> str:
    if value in (None, ""):
        if required:
            raise HavenError(_("This field is required."), field=field)
        return ""
    if not isinstance(value, str) or (value.upper() not in COUNTRY_CODES and value not in set(extra)):
        raise HavenError(_("Enter a two-letter country code such as VN or CN."), field=field)
    return value if value in set(extra) else value.upper()


def phone(value: Any, field: str) -> str:
    value = text(value, field, max_length=30)
    if value and not _PHONE.match(value):
        raise HavenError(_("Enter a phone number of 6 to 20 digits."), field=field)
    return value


def id_number(value: Any, field: str) -> str:
    from haven.core.text import normalise_id_number

    raw = text(value, field, max_length=40)
    if not raw:
        return ""
    normalised = normalise_id_number(raw)
    if not _ID_NUMBER.match(normalised):
        raise HavenError(_("An ID document number has 6 to 20 letters and digits."), field=field)
    return normalised


def required_date(value: Any, field: str, *, not_future: bool = True) -> dt.date:
    day = date(value, field, required=True, not_future=not_future)
    assert day is not None  # `required=True` raises instead of returning None
    return day


def record_id(value: Any) -> int:
    """An identifier from a URL or a form. Anything that is not a positive whole number is simply not found."""
    from haven.core.errors import NotFound

    text = str(value).strip()
    if not text.isdigit() or len(text) > 18 or int(text) == 0:
        raise NotFound()
    return int(text)
