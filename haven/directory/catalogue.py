"""The fixed lists of the directory: needs (support items), languages, and the groups gaps are counted for.

Needs are the entitlement engine's item ids (so a referral or an application can link to the services
that give an item) plus a few kinds of service the engine does not pay for but victims need, such as a
place to stay. Names come in Vietnamese and English as data, like the engine's own item names
(`haven/entitlements/engine/texts.yaml`), because they are also sent as {"vi", "en"} by the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from haven.core.text import current_language
from haven.entitlements.engine import ITEM_CODES
from haven.entitlements.engine.render import texts

# Residential: an offering with this need has places (capacity) and occupancy.
SHELTER = "shelter"

# Services the engine does not pay for (not regime items), as the seed study lists them for Lào Cai
# (Table 2: safe housing, support for family members, life skills, job placement).
EXTRA_NEEDS: dict[str, dict[str, str]] = {
    SHELTER: {"vi": "Nơi ở tạm thời", "en": "Shelter"},
    "family_support": {"vi": "Hỗ trợ gia đình nạn nhân", "en": "Support for family members"},
    "life_skills": {"vi": "Kỹ năng sống và xóa mù chữ", "en": "Life skills and literacy"},
    "job_placement": {"vi": "Giới thiệu việc làm", "en": "Job placement"},
}


def _needs() -> dict[str, dict[str, str]]:
    names = texts().items
    return {**{SHELTER: EXTRA_NEEDS[SHELTER]}, **{code: dict(names[code]) for code in ITEM_CODES},
            **{k: v for k, v in EXTRA_NEEDS.items() if k != SHELTER}}


NEEDS: dict[str, dict[str, str]] = _needs()
NEED_CODES: tuple[str, ...] = tuple(NEEDS)


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-3
    vi: str
    en: str


# Languages of returned people in the northern border provinces first (the seed study: Hmong, Dao,
# Tày and Kinh at the Lào Cai shelter), then the languages of the countries they return from.
LANGUAGES: tuple[Language, ...] = (
    Language("vie", "Tiếng Việt", "Vietnamese"),
    Language("hmn", "Tiếng H'Mông", "Hmong"),
    Language("ium", "Tiếng Dao (Iu Miền)", "Dao (Iu Mien)"),
    Language("mji", "Tiếng Dao (Kìm Mùn)", "Dao (Kim Mun)"),
    Language("tyz", "Tiếng Tày", "Tày"),
    Language("nut", "Tiếng Nùng", "Nùng"),
    Language("blt", "Tiếng Thái", "Thái (Tai Dam)"),
    Language("mtq", "Tiếng Mường", "Mường"),
    Language("pcc", "Tiếng Giáy", "Giáy"),
    Language("hni", "Tiếng Hà Nhì", "Hà Nhì"),
    Language("khm", "Tiếng Khmer", "Khmer"),
    Language("zho", "Tiếng Trung", "Chinese"),
    Language("lao", "Tiếng Lào", "Lao"),
    Language("eng", "Tiếng Anh", "English"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_LANGUAGES = {lang.code: lang for lang in LANGUAGES}

# The case record's language codes (haven.cases.models.Language) in ISO 639-3, for matching a person
# to the services that speak their language. "Dao" on a case may be either Dao language.
CASE_LANGUAGE_TO_ISO: dict[str, tuple[str, ...]] = {
    "vi": ("vie",), "hmn": ("hmn",), "dao": ("ium", "mji"), "tay": ("tyz",), "nut": ("nut",), "giay": ("pcc",),
    "tha": ("blt",), "zh": ("zho",), "km": ("khm",), "lo": ("lao",), "en": ("eng",),
}

SEXES: tuple[str, ...] = ("female", "male")
SEX_NAMES: dict[str, Any] = {"female": _("Female"), "male": _("Male")}

# The trafficking laws use under 18 for a child (Law 66/2011, Law 53/2024).
ADULT_AGE = 18


@dataclass(frozen=True)
class Group:
    code: str
    sex: str
    min_age: int
    max_age: int | None
    name: Any


GROUPS: tuple[Group, ...] = (
    Group("adult_women", "female", ADULT_AGE, None, _("adult women")),
    Group("adult_men", "male", ADULT_AGE, None, _("adult men")),
    Group("girls", "female", 0, ADULT_AGE - 1, _("girls")),
    Group("boys", "male", 0, ADULT_AGE - 1, _("boys")),
)
GROUP_CODES: tuple[str, ...] = tuple(g.code for g in GROUPS)

# Needs that make no sense for some groups, so they are not reported as gaps: a child cannot take a loan.
ADULTS_ONLY_NEEDS = frozenset({"loan"})


lang = current_language


def need_name(code: str, language: str | None = None) -> str:
    names = NEEDS.get(code)
    return names[language or lang()] if names else code


def language_name(code: str, language: str | None = None) -> str:
    found = _LANGUAGES.get(code)
    if found is None:
        return code
    return found.en if (language or lang()) == "en" else found.vi


def need_choices() -> list[tuple[str, str]]:
    return [(code, need_name(code)) for code in NEED_CODES]


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGE_CODES]


def sex_choices() -> list[tuple[str, Any]]:
    return [(code, SEX_NAMES[code]) for code in SEXES]
