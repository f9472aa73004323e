"""The Vietnamese catalogue is complete: every string on every page exists in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete]


def test_the_vietnamese_catalogue_exists():
    assert CATALOGUE.exists()


def test_every_message_has_a_vietnamese_translation():
    empty = [
        e.msgid for e in _entries()
        if (not any(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr.strip())
    ]
    assert empty == []


def test_no_translation_is_fuzzy():
    assert [e.msgid for e in _entries() if "fuzzy" in e.flags] == []


def test_translations_keep_every_placeholder():
    broken = []
    for e in _entries():
        translations = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for text in translations:
            if sorted(_PLACEHOLDER.findall(e.msgid)) != sorted(_PLACEHOLDER.findall(text)):
                broken.append(e.msgid)
    assert broken == []


@pytest.mark.parametrize("msgid, expected", [
    ("Person under identification", "Người đang trong quá trình xác định là nạn nhân"),
    ("Accompanying minor", "Người dưới 18 tuổi đi cùng"),
    ("Reception", "Tiếp nhận"),
    ("Verification", "Xác minh"),
    ("Initial hardship allowance", "Trợ cấp khó khăn ban đầu"),
])
def test_the_design_vocabulary_is_used(msgid, expected):
    assert {e.msgid: e.msgstr for e in _entries()}[msgid] == expected


def test_every_string_in_the_code_and_templates_is_in_the_catalogue(tmp_path, monkeypatch):
    """Extract the messages afresh from a copy of the source: a string added to a page or a message
    without a Vietnamese translation fails here, not in front of a user."""
    import shutil

    from django.core.management import call_command

    source = Path(settings.BASE_DIR)
    copy = tmp_path / "haven"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(
        "__pycache__", "*.mo", "*.ttf", "static", "fonts", "incoming", "data", "migrations", "*.yaml"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["vi"], ignore_patterns=["entitlements/engine/*"], verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [
        e.msgid for e in fresh if not e.obsolete and (
            "fuzzy" in e.flags or (not any(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr.strip()))
    ]
    assert missing == []


# makemessages finds only the standard names (gettext, gettext_lazy, _, ngettext, pgettext, …): a message
# wrapped in an alias such as `_g(...)` is never extracted and so never translated, silently.
_STANDARD = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
             "npgettext", "npgettext_lazy", "_"}
_ALIAS = re.compile(r"from django\.utils\.translation import ([^\n]+)")


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    aliased = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        for names in _ALIAS.findall(path.read_text(encoding="utf-8")):
            for part in names.strip("() ").split(","):
                name, _sep, alias = part.strip().partition(" as ")
                if "gettext" in name and (alias or name).strip() not in _STANDARD:
                    aliased.append(f"{path.name}: {part.strip()}")
    assert aliased == []
