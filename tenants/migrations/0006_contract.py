"""The tenancy moves from the contracts area into the base layer.

State only: the tables keep their names (`contracts_contract`, `contracts_contract_partners`),
no row is copied and no table rebuilt (SQLite would rebuild the table with its generated
total-rent column otherwise). The content type is relabelled, so the clerk groups keep their
permissions (they hang on the content type) and admin log entries keep pointing at contracts.
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from decimal import Decimal

from django.db import migrations, models


def relabel_content_type(apps, schema_editor, old="contracts", new="tenants"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    moving = ContentType.objects.using(db).filter(app_label=old, model="contract").first()
    if moving is None:
        return  # a fresh database: post_migrate creates the new content type
    # Should post_migrate have created an empty one for the new label already, it goes: the
    # existing one carries the permissions the groups hold.
    ContentType.objects.using(db).filter(app_label=new, model="contract").delete()
    moving.app_label = new
    moving.save(update_fields=["app_label"])


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="tenants", new="contracts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tenants", "0005_auditentry"),
        ("contracts", "0003_mandate_superseded"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Contract",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("contract_number", models.CharField(max_length=30, unique=True, verbose_name="contract number")),
                        ("start_date", models.DateField(verbose_name="start date")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                        ("grundmiete", models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=9, validators=[django.core.validators.MinValueValidator(Decimal("0.00"))], verbose_name="base rent (Grundmiete)")),
                        ("betriebskosten_vorauszahlung", models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=9, validators=[django.core.validators.MinValueValidator(Decimal("0.00"))], verbose_name="operating costs advance")),
                        ("heizkosten_vorauszahlung", models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=9, validators=[django.core.validators.MinValueValidator(Decimal("0.00"))], verbose_name="heating costs advance")),
                        ("total_rent", models.GeneratedField(db_persist=True, expression=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F("grundmiete"), "+", models.F("betriebskosten_vorauszahlung")), "+", models.F("heizkosten_vorauszahlung")), output_field=models.DecimalField(decimal_places=2, max_digits=10), verbose_name="total monthly rent")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("partners", models.ManyToManyField(related_name="contracts", to="tenants.tenant", verbose_name="contract partners")),
                        ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="contracts", to="tenants.unit", verbose_name="unit")),
                    ],
                    options={
                        "verbose_name": "contract",
                        "verbose_name_plural": "contracts",
                        "db_table": "contracts_contract",
                        "ordering": ["contract_number"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"), name="contract_end_after_start")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
