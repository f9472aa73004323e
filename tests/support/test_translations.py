"""The Vietnamese translations of the support strings (merged by the lead into the catalogue)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings

INCOMING = Path(settings.BASE_DIR) / "locale" / "incoming" / "support.json"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_support_string_has_vietnamese_with_its_placeholders():
    entries = json.loads(INCOMING.read_text(encoding="utf-8"))
    assert len(entries) > 100
    for entry in entries:
        assert entry["msgstr"].strip(), entry["msgid"]
        assert sorted(PLACEHOLDER.findall(entry["msgid"])) == sorted(PLACEHOLDER.findall(entry["msgstr"])), entry


def test_the_vocabulary_of_the_issue_is_used():
    table = {e["msgid"]: e["msgstr"] for e in json.loads(INCOMING.read_text(encoding="utf-8"))}
    assert table["Past the state-paid limit"] == "Đã quá thời hạn nhà nước chi trả"
    assert table["Recipient signature list"] == "Danh sách ký nhận"
