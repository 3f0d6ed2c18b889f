import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tenants.models import User

pytestmark = pytest.mark.django_db


def make_user(last_name="Müller-Lüdenscheidt"):
    return User(email="maria@example.org", first_name="Maria", last_name=last_name)


@pytest.mark.parametrize(
    "password",
    [
        "Sonnen-Blume-42",
        "Hafen#Kran2026",
        "Ä-Öl-Übung-77x",
        "x" * 40 + "A1!" + "y" * 21,  # 64 characters are fine
    ],
)
def test_good_passwords_are_accepted(password):
    validate_password(password, make_user())


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Kurz-1a", "password_too_short"),
        ("sonnen-blume-42", "password_no_upper"),
        ("SONNEN-BLUME-42", "password_no_lower"),
        ("Sonnen-Blume-xy", "password_no_digit"),
        ("SonnenBlume42xy", "password_no_special"),
        ("Mueller-Haus-99", "password_contains_last_name"),
        ("Ludenscheidt#2026", "password_contains_last_name"),
        ("XmüllerX-2026", "password_contains_last_name"),
        ("password123", "password_too_common"),
    ],
)
def test_bad_passwords_are_refused_with_a_reason(password, code):
    with pytest.raises(ValidationError) as raised:
        validate_password(password, make_user())

    assert code in [e.code for e in raised.value.error_list]


def test_the_rules_are_in_german():
    with translation.override("de"), pytest.raises(ValidationError) as raised:
        validate_password("kurz", make_user())

    messages = " ".join(raised.value.messages)
    assert "mindestens 10 Zeichen" in messages
    assert "Großbuchstaben" in messages
