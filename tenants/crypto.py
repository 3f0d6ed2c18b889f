"""Field-level encryption for data such as IBANs (Fernet, AES-128-CBC + HMAC-SHA256).

Keys come from PORTAL_FIELD_ENCRYPTION_KEYS, comma-separated, newest first. Rotation:
1. generate a key: `manage.py rotate_encryption_keys --generate`
2. put it in front of the list and deploy (new values use it, old ones still decrypt);
3. run `manage.py rotate_encryption_keys` (re-encrypts every value with the newest key);
4. remove the old key from the list and deploy again.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import SimpleLazyObject


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PORTAL_FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with any key in PORTAL_FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


class _Encrypted(SimpleLazyObject):
    """A value as loaded from the database: decrypted only when something uses it."""

    def __init__(self, token: str):
        super().__init__(lambda: decrypt(token))


class _DecryptOnAccess(DeferredAttribute):
    """`instance.field` gives the plain text, decrypted on first access and then kept.

    A data descriptor (it has __set__), so it is asked even though the loaded value sits in
    the instance's __dict__.
    """

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, _Encrypted):
            value = str(value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedCharField(models.TextField):
    """Stores the value encrypted; Python code only ever sees the plain value.

    Decryption is lazy: loading a row decrypts nothing, reading the attribute does. Pages that
    show only a harmless column (an IBAN's last four digits) never decrypt. Encrypted values
    cannot be searched or sorted in SQL: keep a separate, harmless column for that.
    """

    descriptor_class = _DecryptOnAccess

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return _Encrypted(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
