"""The contract now lives in the base layer (tenants.Contract, same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_mandate_superseded"),
        ("tenants", "0006_contract"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="mandate",
                    name="contract",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="mandates", to="tenants.contract", verbose_name="contract"),
                ),
                migrations.AlterField(
                    model_name="bankchangerequest",
                    name="contract",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="bank_change_requests", to="tenants.contract", verbose_name="contract"),
                ),
                migrations.DeleteModel(name="Contract"),
            ],
            database_operations=[],
        ),
    ]
