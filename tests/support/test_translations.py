"""The issue's vocabulary for stays and payments is used in the Vietnamese catalogue."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("msgid, expected", [
    ("Past the state-paid limit", "Đã quá thời hạn nhà nước chi trả"),
    ("Recipient signature list", "Danh sách ký nhận"),
    ("State budget line", "Dòng ngân sách nhà nước"),
])
def test_the_vocabulary_of_the_issue_is_used(msgid, expected):
    table = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if not e.msgctxt}
    assert table[msgid] == expected
