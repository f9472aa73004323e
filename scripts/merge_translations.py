"""Merge translations handed in as JSON (haven/locale/incoming/*.json) into the Vietnamese catalogue.

Run makemessages first so the catalogue has the new msgids; then this fills every empty entry whose
msgid (and msgid_plural) appears in an incoming file, and lists what is still empty.
Usage: .venv/bin/python scripts/merge_translations.py [--delete-incoming]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "haven" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
INCOMING = ROOT / "haven" / "locale" / "incoming"


def main() -> int:
    known: dict[tuple[str, str], str] = {}
    for path in sorted(INCOMING.glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            text = row.get("msgstr") or (row.get("msgstr_plural") or [""])[0]
            known[(row["msgid"], row.get("msgid_plural", ""))] = text
    po = polib.pofile(str(CATALOGUE))
    filled, empty = 0, []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else entry.msgstr_plural
            entry.previous_msgid = entry.previous_msgid_plural = None
        has = any(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr.strip())
        if has:
            continue
        text = known.get((entry.msgid, entry.msgid_plural or "")) or known.get((entry.msgid, ""))
        if text:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr = text
            filled += 1
        else:
            empty.append(entry.msgid)
    po.save(str(CATALOGUE))
    print(f"filled {filled}; still empty {len(empty)}")
    for msgid in empty:
        print("  EMPTY:", msgid)
    if "--delete-incoming" in sys.argv and not empty:
        for path in INCOMING.glob("*.json"):
            path.unlink()
    return 1 if empty else 0


if __name__ == "__main__":
    raise SystemExit(main())
