from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tenants.crypto import EncryptedCharField, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in PORTAL_FIELD_ENCRYPTION_KEYS "
        "(see tenants/crypto.py for the whole rotation), or print a new key with --generate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key and stop")

    def handle(self, *args, **options):
        if options["generate"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in fields:
                column = connection.ops.quote_name(field.column)
                count = 0
                # Raw SQL: the ciphertext, not the decrypted value the ORM would hand out.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608
                    )
                    for row_pk, token in cursor.fetchall():
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                            [rotate(token), row_pk],
                        )
                        count += 1
                self.stdout.write(f"{model._meta.label}.{field.name}: {count} value(s)")
                total += count
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) re-encrypted with the newest key."))
