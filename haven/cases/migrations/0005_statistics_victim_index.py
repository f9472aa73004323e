"""A partial index over victim cases for the annual statistics (haven.reports.statistics).

The statistics read, for the victim cases identified in the period, the person, the age at reception,
where they were identified and the types of exploitation, and keep each person's first identification
in the period: an anti-join whose inner side is every victim case identified since the period began.

On PostgreSQL the index is keyed on the date of identification and carries those columns (INCLUDE),
so both sides are read from the index alone, without visiting the table: at 1,000,000 cases, for 2024,
about 3,000 index pages instead of 63,000 table pages. SQLite has no INCLUDE: there it is keyed on
(identified_on, person_id, id), which covers the anti-join.

Written as SQL per database, not in `Meta.indexes`: the model belongs to the cases app, and Django's
`Index(include=...)` is PostgreSQL-only. Reversible.
"""

from django.db import migrations

NAME = "case_victim_identified_person_idx"
POSTGRESQL = (f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (identified_on) INCLUDE (person_id, id, "
              "age_at_reception, identified_at, exploitation_types, reception_unit_id, owner_agency_id) "
              "WHERE category = 'victim'")
OTHER = f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (identified_on, person_id, id) WHERE category = 'victim'"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(POSTGRESQL if schema_editor.connection.vendor == "postgresql" else OTHER)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_caseload_list_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
