"""Messages a tenant can act on: named required fields, password feedback in plain words."""

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from registration.forms import AccountForm, CodeForm, ConfirmationCodeForm
from tenants.forms import PortalFormMixin
from tenants.models import User
from tests.tenants.factories import TenantFactory, UserFactory

from .factories import tenant_with_code

pytestmark = pytest.mark.django_db

# What config/settings/base.py sets (see test_the_portal_uses_the_plain_messages).
PLAIN_VALIDATORS = [
    {"NAME": "tenants.password_validation.PlainUserAttributeSimilarityValidator"},
    {
        "NAME": "tenants.password_validation.PlainMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "tenants.password_validation.CommonPasswordVariantValidator"},
    {"NAME": "tenants.password_validation.PlainNumericPasswordValidator"},
    {"NAME": "tenants.password_validation.CharacterClassValidator"},
    {"NAME": "tenants.password_validation.LastNameValidator"},
]
PORTAL_FORMS = {
    "login": "tenants.forms.PortalLoginForm",
    "change_password": "tenants.forms.PortalChangePasswordForm",
    "reset_password": "tenants.forms.PortalResetPasswordForm",
    "reset_password_from_key": "tenants.forms.PortalResetPasswordKeyForm",
    "add_email": "tenants.forms.PortalAddEmailForm",
}
GENERIC = "Dieses Feld ist zwingend erforderlich"
VAGUE = "persönlichen Informationen"


@pytest.fixture
def plain(settings):
    settings.AUTH_PASSWORD_VALIDATORS = PLAIN_VALIDATORS
    settings.ACCOUNT_FORMS = PORTAL_FORMS


def test_the_portal_uses_the_plain_messages():
    names = [v["NAME"] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [v["NAME"] for v in PLAIN_VALIDATORS]
    assert django_settings.ACCOUNT_FORMS == PORTAL_FORMS


def test_a_password_like_the_email_address_is_refused_in_plain_words(client, plain):
    _, _, code = tenant_with_code(last_name="Meier")
    client.post(reverse("registration:start"), {"code": code, "last_name": "Meier"})

    html = client.post(
        reverse("registration:account"),
        {
            "email": "balkonblume@example.org",
            "password1": "Balkonblume-2026!",
            "password2": "Balkonblume-2026!",
            "accept_terms": "on",
        },
    ).content.decode()

    assert "Das Passwort ähnelt Ihrem Namen oder Ihrer E-Mail-Adresse zu sehr." in html
    assert VAGUE not in html and "zu ähnlich" not in html
    # The rules listed before typing say it the same way.
    assert "Nichts, was Ihrem Namen oder Ihrer E-Mail-Adresse ähnelt." in html
    assert not User.objects.filter(email="balkonblume@example.org").exists()


@pytest.mark.parametrize(
    ("password", "code", "message"),
    [
        ("Kurz-1a", "password_too_short", "Das Passwort ist zu kurz: Es muss mindestens 10"),
        ("20262026202620", "password_entirely_numeric", "nicht nur aus Ziffern"),
        ("Hafenkran#2026", "password_too_similar", "ähnelt Ihrem Namen"),
        ("Sonnen-Blume-xy", "password_no_digit", "mindestens eine Ziffer"),
        ("password123", "password_too_common", "zu häufig"),
    ],
)
def test_every_rule_still_applies_and_explains_itself(plain, password, code, message):
    user = User(email="hafenkran@example.org", first_name="Maria", last_name="Anders")
    with translation.override("de"), pytest.raises(ValidationError) as raised:
        validate_password(password, user)

    assert code in [e.code for e in raised.value.error_list]
    assert message in " ".join(raised.value.messages)


def test_the_login_form_says_what_is_missing(client, plain):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()

    assert 'class="error-summary" tabindex="-1"' in html
    assert '<a href="#id_login">Bitte geben Sie Ihre E-Mail-Adresse ein.</a>' in html
    assert '<a href="#id_password">Bitte geben Sie Ihr Passwort ein.</a>' in html
    assert GENERIC not in html


def test_the_password_change_form_says_what_is_missing(client, plain):
    user = UserFactory()
    TenantFactory(user=user)
    client.force_login(user)

    html = client.post(
        reverse("account_change_password"), {"oldpassword": "", "password1": "", "password2": ""}
    ).content.decode()

    assert "Bitte korrigieren Sie Folgendes:" in html
    assert "Bitte geben Sie Ihr bisheriges Passwort ein." in html
    assert "Bitte wählen Sie ein neues Passwort." in html
    assert "Bitte geben Sie das neue Passwort ein zweites Mal ein." in html
    assert GENERIC not in html


@pytest.mark.parametrize(
    ("form_class", "kwargs"),
    [(CodeForm, {}), (AccountForm, {"tenant": None}), (ConfirmationCodeForm, {})],
)
def test_registration_forms_name_every_required_field(form_class, kwargs):
    with translation.override("de"):
        form = form_class(data={}, **kwargs)
        form.is_valid()
        messages = [m for errors in form.errors.values() for m in errors]

    assert messages and GENERIC not in " ".join(messages)


def test_a_field_without_its_own_message_is_named_in_the_generic_one():
    class Example(PortalFormMixin, forms.Form):
        floor = forms.CharField(label="Etage")
        pet = forms.ChoiceField(label="Haustier", choices=[("", "–"), ("dog", "Hund")])
        agree = forms.BooleanField(label="Einverstanden")
        own = forms.CharField(label="Eigen", error_messages={"required": "Eigene Meldung."})

    with translation.override("de"):
        form = Example(data={})
        form.is_valid()
        errors = {name: errors[0] for name, errors in form.errors.items()}

    assert errors == {
        "floor": "Bitte füllen Sie „Etage“ aus.",
        "pet": "Bitte wählen Sie „Haustier“ aus.",
        "agree": "Bitte setzen Sie das Häkchen bei „Einverstanden“.",
        "own": "Eigene Meldung.",
    }


def test_the_password_reset_form_says_what_is_missing(client, plain):
    html = client.post(reverse("account_reset_password"), {"email": ""}).content.decode()

    assert '<a href="#id_email">Bitte geben Sie Ihre E-Mail-Adresse ein.</a>' in html
    assert GENERIC not in html


def test_the_email_change_form_says_what_is_missing(client, plain):
    user = UserFactory()
    TenantFactory(user=user)
    client.force_login(user)

    html = client.post(reverse("account_email"), {"action_add": "", "email": ""}).content.decode()

    assert '<a href="#id_email">Bitte geben Sie die neue E-Mail-Adresse ein.</a>' in html
    assert "Neue E-Mail-Adresse" in html and "style=" not in html
