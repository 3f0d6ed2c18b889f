import re

from allauth.account import forms as account_forms
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import Tenant

_PHONE_CHARS = re.compile(r"^[0-9+()/\-\s]*$")


def name_required_fields(form: forms.BaseForm) -> None:
    """Replace Django's "This field is required." by a sentence that names the field.

    Only where the form did not say something more specific itself.
    """
    generic = forms.Field.default_error_messages["required"]
    for field in form.fields.values():
        if field.error_messages.get("required") is not generic or not field.label:
            continue
        if isinstance(field.widget, forms.CheckboxInput):
            message = _("Please tick the box “{label}”.")
        elif isinstance(field, forms.ChoiceField):
            message = _("Please choose “{label}”.")
        else:
            message = _("Please fill in “{label}”.")
        field.error_messages = {
            **field.error_messages,
            "required": format_lazy(message, label=field.label),
        }


class PortalFormMixin:
    """For every form a tenant fills in: required fields name themselves in their error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)


class ContactForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["phone"]
        labels = {"phone": _("Phone number")}
        help_texts = {"phone": _("So that we can call you back, e.g. 040 1234567.")}
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        if not _PHONE_CHARS.match(phone):
            raise forms.ValidationError(
                _("Please use only digits, spaces and + - / ( ) in the phone number.")
            )
        if sum(c.isdigit() for c in phone) < 6:
            raise forms.ValidationError(
                _("This phone number is too short. Please include the area code.")
            )
        return phone


class PaperlessForm(PortalFormMixin, forms.Form):
    paperless_consent = forms.BooleanField(
        label=_(
            "I would like to receive my documents electronically in the portal instead of by post."
        ),
        required=False,
    )


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name (Deutsch, English): found by those who need it."""
    return [
        (code, get_language_info(code)["name_local"].capitalize()) for code, _ in settings.LANGUAGES
    ]


def language_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        widget=forms.RadioSelect,
        help_text=_("For the pages after you sign in and for every e-mail we send you."),
        error_messages={"required": _("Please choose a language.")},
        **kwargs,
    )


class LanguageForm(PortalFormMixin, forms.Form):
    """The account's language (tenants.services.user_language_set)."""

    language = language_field()


# django-allauth's forms with our messages (settings.ACCOUNT_FORMS points here).
_REQUIRED = {
    "login": _("Please enter your e-mail address."),
    "email": _("Please enter your e-mail address."),
    "password": _("Please enter your password."),
    "oldpassword": _("Please enter your current password."),
    "password1": _("Please choose a new password."),
    "password2": _("Please enter the new password a second time."),
}


class AllauthMessagesMixin(PortalFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in _REQUIRED.items():
            if name in self.fields:
                field = self.fields[name]
                field.error_messages = {**field.error_messages, "required": message}


class PortalLoginForm(AllauthMessagesMixin, account_forms.LoginForm):
    pass


class PortalChangePasswordForm(AllauthMessagesMixin, account_forms.ChangePasswordForm):
    pass


class PortalResetPasswordForm(AllauthMessagesMixin, account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class PortalResetPasswordKeyForm(AllauthMessagesMixin, account_forms.ResetPasswordKeyForm):
    pass


class PortalAddEmailForm(AllauthMessagesMixin, account_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New e-mail address")
        self.fields["email"].error_messages = {
            **self.fields["email"].error_messages,
            "required": _("Please enter the new e-mail address."),
        }
