"""Key management: create the keyring, rotate the data key and re-encrypt every sealed value."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Model

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core import crypto
from haven.core.fields import EncryptedTextField


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    rows: int
    values: int


def encrypted_fields() -> list[tuple[type[Model], list[EncryptedTextField]]]:
    """Every model with sealed fields, and those fields."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def key_usage() -> dict[str, int]:
    """How many stored values each key id sealed, read from the raw column values."""
    from django.db import connection

    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model, fields in encrypted_fields():
            for field in fields:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT {connection.ops.quote_name(str(field.column))} FROM {table}")  # noqa: S608 - names from the model
                for (value,) in cursor.fetchall():
                    if crypto.is_sealed(value):
                        kid = crypto.sealed_key_id(value)
                        counts[kid] = counts.get(kid, 0) + 1
    return counts


def _next_key_id(existing: dict) -> str:
    n = len(existing) + 1
    while f"k{n}" in existing:
        n += 1
    return f"k{n}"


def keys_rotate(*, batch_size: int = 500) -> RotationResult:
    """Add a new data key, make it active, and re-seal every value under it in one transaction.

    The old keys stay in the file so that a backup taken before rotation can still be read; remove
    them with `haven keys retire` once no value uses them.
    """
    if os.environ.get("HAVEN_KEYS"):
        # The new key could only be written to a file the running processes do not read: refuse.
        raise crypto.KeyError_("keys come from the HAVEN_KEYS environment variable: rotate by producing a new "
                               "keyring there, or move the keys to a key file (HAVEN_KEY_FILE) first")
    document = crypto.read_keyring_document()
    new_id = _next_key_id(document["keys"])
    document["keys"][new_id] = crypto.new_key_material()
    document["active"] = new_id
    new_ring = crypto.parse_keyring(document)
    old_ring = crypto.keyring()
    rows = values = 0
    with transaction.atomic():
        for model, fields in encrypted_fields():
            for obj in model._default_manager.all().iterator(chunk_size=batch_size):
                # Values were decrypted with the old ring when loaded; seal them under the new key.
                updates = {}
                for field in fields:
                    plain = getattr(obj, field.name)
                    if plain is not None:
                        updates[field.name] = crypto.encrypt(plain, context=field.crypto_context, ring=new_ring)
                        values += 1
                if updates:
                    model._default_manager.filter(pk=obj.pk).update(**updates)
                    rows += 1
        audit_record(actor=None, action=AuditAction.KEY_ROTATION, object_type="keyring", object_id=new_id,
                     changes={"rows": rows, "values": values}, channel="cli")
        # The file is written last, inside the transaction: if writing fails, the database rolls back.
        crypto.write_keyring_document(document)
    del old_ring
    return RotationResult(new_id, rows, values)


def keys_retire(key_id: str) -> None:
    document = crypto.read_keyring_document()
    if key_id == document["active"]:
        raise crypto.KeyError_("the active key cannot be retired")
    if key_usage().get(key_id):
        raise crypto.KeyError_(f"key {key_id} still seals stored values: rotate first")
    document["keys"].pop(key_id, None)
    crypto.write_keyring_document(document)
