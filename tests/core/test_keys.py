import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haven.cases.models import PersonIdentity
from haven.core import crypto
from haven.core.keys import key_usage, keys_retire, keys_rotate
from tests.factories import build_world, register


@pytest.fixture
def key_file(tmp_path, monkeypatch, settings):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(json.loads(__import__("os").environ["HAVEN_KEYS"])))
    monkeypatch.delenv("HAVEN_KEYS")
    settings.HAVEN_KEY_FILE = str(path)
    crypto.reset_keyring()
    yield path
    monkeypatch.undo()
    crypto.reset_keyring()


@pytest.mark.django_db
def test_rotation_reseals_every_value_under_the_new_key(key_file):
    world = build_world()
    register(world.owner_caseworker, full_name="Giàng Thị Mai")
    old = crypto.keyring().active
    before = key_usage()
    result = keys_rotate()
    assert result.new_key_id != old
    after = key_usage()
    assert set(after) == {result.new_key_id}
    assert after[result.new_key_id] == sum(before.values())
    names = sorted(p.full_name for p in PersonIdentity.objects.all())
    assert names == ["Giàng Thị Mai", "Đặng Thị Ngọc"]
    assert json.loads(key_file.read_text())["active"] == result.new_key_id


@pytest.mark.django_db
def test_a_key_still_in_use_cannot_be_retired(key_file):
    build_world()
    old = crypto.keyring().active
    with pytest.raises(crypto.KeyError_):
        keys_retire(old)
    keys_rotate()
    keys_retire(old)
    assert old not in json.loads(key_file.read_text())["keys"]
    assert PersonIdentity.objects.count() == 1
    assert PersonIdentity.objects.first().full_name == "Đặng Thị Ngọc"


@pytest.mark.django_db
def test_rotate_command_reports_counts(key_file, capsys):
    build_world()
    call_command("keys", "rotate")
    assert "re-encrypted" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_personidentity")
        assert all(v.startswith("hv1:k2:") for (v,) in cursor.fetchall())


def test_init_refuses_to_overwrite_keys(tmp_path):
    path = tmp_path / "k.json"
    call_command("keys", "init", "--path", str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="refusing"):
        call_command("keys", "init", "--path", str(path))
    call_command("keys", "init", "--path", str(path), "--if-missing")
    crypto.reset_keyring()


@pytest.mark.django_db
def test_rotation_refuses_when_keys_come_from_the_environment():
    build_world()
    with pytest.raises(crypto.KeyError_, match="HAVEN_KEYS"):
        keys_rotate()
    with pytest.raises(CommandError, match="HAVEN_KEYS"):
        call_command("keys", "rotate")
