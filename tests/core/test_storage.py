"""Identity data never reaches the database in clear, and a wrong key never shows ciphertext."""

import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from haven.cases.models import PersonIdentity
from haven.core import crypto
from tests.factories import build_world, register


def _all_cells() -> list[str]:
    cells = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                cells.extend(str(v) for v in row if v is not None)
    return cells


@pytest.mark.django_db
def test_no_table_holds_a_name_id_number_or_phone_in_clear():
    world = build_world()
    register(world.owner_caseworker, full_name="Hờ Thị Mỷ", id_number="038190001234", phone="0987 654 321",
             address="Bản Lùng Sáng")
    text = "\n".join(_all_cells())
    for secret in ("Hờ Thị Mỷ", "Ho Thi My", "ho thi my", "038190001234", "0987 654 321", "Bản Lùng Sáng"):
        assert secret not in text


@pytest.mark.django_db
def test_each_stored_value_names_its_key():
    world = build_world()
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_personidentity WHERE person_id = %s", [world.case.person_id])
        (raw,) = cursor.fetchone()
    assert raw.startswith(f"hv1:{crypto.keyring().active}:")


@pytest.mark.django_db
def test_loading_with_the_wrong_key_raises_instead_of_showing_ciphertext(monkeypatch):
    world = build_world()
    monkeypatch.setenv("HAVEN_KEYS", json.dumps(crypto.new_keyring_document(crypto.keyring().active)))
    crypto.reset_keyring()
    try:
        with pytest.raises(crypto.DecryptionError):
            PersonIdentity.objects.get(person_id=world.case.person_id)
    finally:
        monkeypatch.undo()
        crypto.reset_keyring()
    assert PersonIdentity.objects.get(person_id=world.case.person_id).full_name == "Đặng Thị Ngọc"


@pytest.mark.django_db
def test_encrypted_fields_cannot_be_filtered_by_content():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(PersonIdentity.objects.filter(full_name="Đặng Thị Ngọc"))


@pytest.mark.django_db
def test_the_migration_step_seals_free_text_stored_in_clear():
    from haven.cases.models import Case
    from haven.core.fields import seal_existing_values

    world = build_world()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET closure_reason = %s WHERE id = %s", ["Chuyển về Hà Giang", world.case.pk])
    editor = SimpleNamespace(connection=connection)  # the step only needs the connection
    seal_existing_values("cases_case", "cases.case", ["closure_reason"])(None, editor)
    seal_existing_values("cases_case", "cases.case", ["closure_reason"])(None, editor)  # idempotent
    with connection.cursor() as cursor:
        cursor.execute("SELECT closure_reason FROM cases_case WHERE id = %s", [world.case.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("hv1:") and "Giang" not in raw
    assert Case.objects.only("closure_reason").get(pk=world.case.pk).closure_reason == "Chuyển về Hà Giang"
