"""Model fields whose values are sealed before they reach the database."""

from __future__ import annotations

from typing import Any

from django.db import models

from haven.core import crypto


class EncryptedTextField(models.TextField):
    """Identity data: AES-GCM sealed at rest, decrypted on load, never searchable by content.

    A wrong or missing key raises `crypto.DecryptionError`; the ciphertext is never returned as text.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        if crypto.is_sealed(value):
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)

    def get_lookup(self, lookup_name: str):  # type: ignore[no-untyped-def]
        # Ciphertext is randomised: only IS NULL means anything. Use a blind index for equality.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def seal_existing_values(table: str, label: str, columns: list[str]):  # type: ignore[no-untyped-def]
    """A migration step that seals values stored in clear before a column became encrypted."""

    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for column in columns:
                cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)}")  # noqa: S608 - fixed names
                for pk, value in cursor.fetchall():
                    if value is not None and not crypto.is_sealed(value):
                        sealed = crypto.encrypt(value, context=f"{label}.{column}")
                        cursor.execute(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                                       [sealed, pk])

    return run
