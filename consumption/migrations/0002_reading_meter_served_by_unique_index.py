"""Reading.meter loses its own index: the unique (meter, month) index serves every lookup.

Only the index is dropped, on PostgreSQL CONCURRENTLY (no lock that would hold up the pages
or an import meanwhile). Django's AlterField would also drop the foreign key and add it again,
which checks every reading under a lock (minutes on a large table).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "consumption_reading_meter_id_ac9e7e95"


def _concurrently(schema_editor) -> str:
    return " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX{_concurrently(schema_editor)} IF EXISTS {INDEX}")


def create_index(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX{_concurrently(schema_editor)} IF NOT EXISTS {INDEX} "
        "ON consumption_reading (meter_id)"
    )


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY runs outside a transaction

    dependencies = [
        ("consumption", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reading",
                    name="meter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="readings",
                        to="consumption.meter",
                        verbose_name="meter",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
