"""Searching the raw database file of a demo for a person's name or ID number finds nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from haven.core import crypto
from haven.core.demo.people import demo_people
from haven.core.text import normalise_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):  # noqa: ANN001, ANN201
    """`haven demo --reset` run in its own process into a fresh SQLite file, with the test keyring."""
    directory = tmp_path_factory.mktemp("raw-demo")
    path = directory / "demo.sqlite3"
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{path}", "HAVEN_VAR_DIR": str(directory),
        "HAVEN_REQUIRE_2FA": "false", "DJANGO_SETTINGS_MODULE": "haven.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "haven.manage", "demo", "--reset"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return path


def _stored_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT full_name FROM cases_personidentity").fetchall()
    ring = crypto.parse_keyring(crypto.read_keyring_document())
    return [crypto.decrypt(value, context="cases.personidentity.full_name", ring=ring) for (value,) in rows]


def _raw_bytes(path: Path) -> bytes:
    # The database and any journal or WAL file SQLite left beside it.
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_people_searched_for_are_the_people_stored(demo_file):
    expected = {p.full_name for p in demo_people(timezone.localdate())}
    assert set(_stored_names(demo_file)) == expected


def test_no_name_appears_in_the_file_with_or_without_accents(demo_file):
    raw = _raw_bytes(demo_file)
    lowered = raw.lower()
    for person in demo_people(timezone.localdate()):
        assert person.full_name.encode("utf-8") not in raw, person.story.key
        assert normalise_name(person.full_name).encode("ascii") not in lowered, person.story.key


def test_no_id_or_phone_number_appears_in_the_file(demo_file):
    raw = _raw_bytes(demo_file)
    people = demo_people(timezone.localdate())
    numbers = [p.id_number for p in people if p.id_number] + [p.phone for p in people if p.phone]
    assert len(numbers) >= 10
    for number in numbers:
        assert number.encode("ascii") not in raw
        assert number.replace(" ", "").encode("ascii") not in raw


def test_identity_columns_hold_only_sealed_values(demo_file):
    with sqlite3.connect(demo_file) as db:
        values = [v for (v,) in db.execute("SELECT full_name FROM cases_personidentity")]
    assert values and all(v.startswith("hv1:") for v in values)


def test_the_search_does_find_text_stored_in_clear(demo_file):
    # Guards the tests above: agency names are not secret, and the same search finds them.
    raw = _raw_bytes(demo_file)
    assert "Nhà an toàn Sương Sớm".encode() in raw
