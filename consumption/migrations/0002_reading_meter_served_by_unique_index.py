"""Reading.meter loses its own index: the unique (meter, month) index serves every lookup.

Only the index is dropped (a moment's lock). Django's AlterField would also drop the foreign
key and add it again, which checks every reading under a lock (minutes on a large table).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "consumption_reading_meter_id_ac9e7e95"


class Migration(migrations.Migration):
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
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX IF NOT EXISTS {INDEX} "
                    "ON consumption_reading (meter_id)",
                ),
            ],
        ),
    ]
