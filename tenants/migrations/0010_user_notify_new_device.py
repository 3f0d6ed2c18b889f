from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0009_user_language_contact_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="notify_new_device",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Tell the account by e-mail when it is signed in from a device not seen before."
                ),
                verbose_name="e-mail on sign-in from a new device",
            ),
        ),
    ]
