"""Extended planner statistics on PostgreSQL: a case's assigned worker and owning agency go together.

A caseworker's list and searches filter on both (`owner_agency = their agency AND assigned_worker = them`).
Without these statistics PostgreSQL multiplies the two selectivities as if they were independent and, at
1,000,000 cases over 800 agencies, expected 11 cases where a worker holds 1,645: it then chose to walk
all of them and join each to its identity for an ID-number search (15 ms) instead of the ID-number index
(0.6 ms). Taken into account at the next ANALYZE (autovacuum, or `haven dbshell` → ANALYZE cases_case).
Nothing on SQLite, which has no such statistics. Reversible.
"""

from django.db import migrations

NAME = "cases_case_worker_agency_stats"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies, ndistinct) "
                              "ON assigned_worker_id, owner_agency_id FROM cases_case")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_statistics_victim_index"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
