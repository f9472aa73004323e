"""Writing many rows of one model fast: ids taken up front, values prepared per column, one COPY
(PostgreSQL) or one executemany (SQLite). For the import of historical cases.

`bulk_create` prepares every value of every row through the ORM's compiler, field by field; at 100,000
cases that was most of the import's time. Here each column gets one preparing function, chosen once
from its field's type, and the rows go to the database without building model instances.

What it keeps from the ORM: defaults (`get_default`), `auto_now`/`auto_now_add` (one timestamp for the
whole write), sealing of encrypted fields (with the field's own context) and the database adapters for
dates and JSON. What it does not do, like `bulk_create`: `save()` and signals.

Sealing: every non-empty value is sealed on its own with a fresh nonce. The empty string is sealed once
per column and write, and that ciphertext stored in every row where the field is empty: AES-GCM
ciphertexts already show the length of what they hide, so identical empty ones tell nothing more, and
it saves most of the sealing (an imported identity has six empty fields out of eight).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

from haven.core import crypto
from haven.core.fields import EncryptedTextField

Prepare = Callable[[Any], Any]


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, to write rows with their ids (and link other rows to them).

    PostgreSQL: from the table's own sequence (safe under concurrency). SQLite: after the highest id
    ever given; call it inside a transaction that has already written, so the database is locked
    against other writers until the rows are in."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk.column, count])
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(str(pk.column))}) FROM {quote(table)}")  # noqa: S608 - model metadata
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def existing(model: type[models.Model], column: str, values: list[str], **equal: Any) -> set[str]:
    """Which of `values` the column of `model` already holds (where the `equal` columns have those values).

    PostgreSQL: one query with the values as one array parameter (`= ANY(%s)`); an `IN` list of
    thousands of parameters is slow to build, send and plan. SQLite: `IN` lists of 500."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    where = "".join(f" AND {quote(name)} = %s" for name in equal)
    found: set[str] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {quote(column)} FROM {table} WHERE {quote(column)} = ANY(%s){where}",  # noqa: S608
                           [list(values), *equal.values()])
            return {row[0] for row in cursor.fetchall()}
        for start in range(0, len(values), 500):
            part = values[start:start + 500]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT {quote(column)} FROM {table} WHERE {quote(column)} IN ({marks}){where}",  # noqa: S608
                           [*part, *equal.values()])
            found.update(row[0] for row in cursor.fetchall())
    return found


def _text(value: Any) -> Any:
    # Choice members are str subclasses; the drivers must see plain text (psycopg dumps an Enum by name).
    return value if value is None or type(value) is str else str(value)


def _sealer(field: EncryptedTextField) -> Prepare:
    empty = crypto.encrypt("", context=field.crypto_context)

    def seal(value: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return empty
        return value if crypto.is_sealed(value) else crypto.encrypt(str(value), context=field.crypto_context)

    return seal


def _json(field: models.JSONField) -> Prepare:  # type: ignore[type-arg]
    """JSON values through the field's own adapter, each distinct value once: an import repeats a few
    lists (["forced_marriage"], [] …) on every row. Keyed by repr, which differs wherever the JSON does."""
    cache: dict[str, Any] = {}

    def prepare(value: Any) -> Any:
        key = repr(value)
        found = cache.get(key)
        if found is None:
            # PostgreSQL: the JSON text itself (COPY parses it into jsonb); the field's adapter would
            # be a Jsonb object that dumps the value again for every row.
            found = (json.dumps(value, cls=field.encoder) if connection.vendor == "postgresql" and value is not None
                     else field.get_db_prep_save(value, connection))
            if len(cache) < 50_000:
                cache[key] = found
        return found

    return prepare


def _preparer(field: models.Field) -> Prepare:  # type: ignore[type-arg]
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        return _sealer(field)
    if isinstance(field, models.JSONField):
        return _json(field)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, (models.CharField, models.TextField)):
        return _text
    if isinstance(field, (models.IntegerField, models.BooleanField, models.ForeignKey)):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _fresh(field: models.Field, prepare: Prepare) -> Callable[[], Any]:  # type: ignore[type-arg]
    return lambda: prepare(field.get_default())


class Writer:
    """The columns of one model and how to prepare each, worked out once for a whole import."""

    def __init__(self, model: type[models.Model], *, with_ids: bool = True) -> None:
        """`with_ids`: the rows carry their primary keys (from `new_ids`); otherwise the database gives them."""
        self.model = model
        now = timezone.now()
        self.fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
        self.prepare = [_preparer(f) for f in self.fields]
        self.missing: list[Callable[[], Any]] = []
        for field, prepare in zip(self.fields, self.prepare, strict=True):
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.missing.append(_constant(prepare(now)))
            elif isinstance(field, EncryptedTextField) or not callable(getattr(field, "default", None)):
                self.missing.append(_constant(prepare(field.get_default())))
            else:  # a callable default (list, dict…) is made again for each row, as the ORM does
                self.missing.append(_fresh(field, prepare))
        self.columns = [(f.attname, p, m) for f, p, m in zip(self.fields, self.prepare, self.missing, strict=True)]

    def _values(self, row: dict[str, Any]) -> list[Any]:
        return [prepare(row[name]) if name in row else missing() for name, prepare, missing in self.columns]

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Insert the rows, each a dict by attribute name (`person_id`, not `person`), with the primary
        key if the writer was made `with_ids`. Fields left out take their defaults."""
        values = [self._values(row) for row in rows]
        if not values:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(str(f.column)) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


class AuditWriter:
    """`haven.audit.services.audit_record_many` for an import's one event per case: the same events,
    chained and keyed by it under the same lock of the chain head, stored with a `Writer` instead of
    `bulk_create` (whose compiler was a third of the import's time at 100,000 cases).
    `haven audit verify` checks them like any other event (tests/exchange/test_import_rows_written.py)."""

    def __init__(self) -> None:
        from haven.audit.models import AuditEvent

        self.writer = Writer(AuditEvent, with_ids=False)

    def record(self, entries: list[dict[str, Any]]) -> None:
        from haven.audit.services import audit_record_many

        names = [f.attname for f in self.writer.fields]
        audit_record_many(entries, write=lambda events: self.writer.write(
            {name: getattr(event, name) for name in names} for event in events))


@contextmanager
def sqlite_cache(megabytes: int = 256) -> Iterator[None]:
    """A larger SQLite page cache while a big import writes (default 2 MB): the blind-index and code
    indexes take rows in random order, and with the default cache every insert read and wrote pages
    of the database file again. Restored afterwards. Nothing on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
