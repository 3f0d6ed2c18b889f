"""The request categories customer service started with; maintained in the admin afterwards."""

from django.db import migrations

from requests.defaults import CATEGORIES


def add(apps, schema_editor):
    from requests.defaults import categories_ensure

    categories_ensure(apps.get_model("requests", "Category"))


def remove(apps, schema_editor):
    Category = apps.get_model("requests", "Category")
    Category.objects.filter(name__in=[c[1] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
