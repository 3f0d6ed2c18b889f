from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from tenants.forms import PortalFormMixin, language_field
from tenants.models import User


class CodeForm(PortalFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        help_text=_("As printed in the letter, e.g. 7KQ2-M9XD-4TRF. Case does not matter."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
        error_messages={"required": _("Please enter the registration code from your letter.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        help_text=_("As in the address field of the letter."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Please enter your last name.")},
    )


class AccountForm(PortalFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("This will be your user name. We send a confirmation to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter a valid e-mail address, e.g. name@example.org."),
        },
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        error_messages={"required": _("Please choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        error_messages={"required": _("Please enter the password a second time.")},
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and have read the privacy notice."),
        error_messages={"required": _("Please accept the terms of use to continue.")},
    )
    paperless = forms.BooleanField(
        label=_(
            "Yes, I would like to receive my documents (e.g. annual statements) electronically "
            "in the portal instead of by post."
        ),
        required=False,
        help_text=_("Optional. You can change this at any time in your personal area."),
    )
    # Preselected: the language of the page (see the view); without a choice, that language too.
    # Changeable later in the personal area.
    language = language_field(required=False)

    def __init__(self, *args, tenant, **kwargs):
        self.tenant = tenant
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ. Please type them again."))
        elif password1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=self.tenant.first_name,
                last_name=self.tenant.last_name,
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def password_rules() -> list[str]:
    """The rules, listed on the form before the user types (see the template)."""
    return password_validation.password_validators_help_texts()


class ConfirmationCodeForm(PortalFormMixin, forms.Form):
    confirmation_code = forms.CharField(
        label=_("Confirmation code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Please enter the six-digit code from the e-mail.")},
    )

    def clean_confirmation_code(self):
        return "".join(c for c in self.cleaned_data["confirmation_code"] if c.isdigit())
