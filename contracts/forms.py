from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.forms import PortalFormMixin
from tenants.i18n import country_name, sort_key

from .banking import SEPA_COUNTRIES, CheckedIban, IbanError, iban_check


def sepa_country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Germany first, then the other SEPA countries by their name in the page's language."""
    others = sorted(
        ((code, country_name(code, language)) for code in SEPA_COUNTRIES if code != "DE"),
        key=lambda choice: sort_key(choice[1]),
    )
    return [("DE", country_name("DE", language)), *others]


class BankChangeForm(PortalFormMixin, forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        help_text=_("Spaces are fine, e.g. DE89 3704 0044 0532 0130 00."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Please enter the IBAN.")},
    )
    holder_name = forms.CharField(
        label=_("Account holder"),
        max_length=140,
        error_messages={"required": _("Please enter the account holder's name.")},
    )
    holder_is_other = forms.BooleanField(
        label=_("The account holder is not a tenant of this contract"),
        required=False,
        help_text=_("Then we need the account holder's postal address for the SEPA mandate."),
    )
    holder_street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    holder_postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    holder_city = forms.CharField(label=_("City"), max_length=100, required=False)
    holder_country = forms.ChoiceField(label=_("Country"), required=False, initial="DE")
    # The mandate reference the tenant saw next to the mandate text (checked on submit).
    reference = forms.CharField(widget=forms.HiddenInput, required=False)
    # Random per form shown: a second POST of the same form is the same submission.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    consent = forms.BooleanField(
        label=_("I grant the SEPA direct debit mandate shown above."),
        required=False,
    )

    def __init__(self, *args, require_consent: bool = True, **kwargs):
        self.require_consent = require_consent
        super().__init__(*args, **kwargs)
        self.checked_iban: CheckedIban | None = None
        # Required only for a different account holder; the fieldset's legend says so.
        for name in ("holder_street", "holder_postal_code", "holder_city", "holder_country"):
            self.fields[name].show_optional = False
        self.fields["holder_country"].choices = sepa_country_choices()

    def clean_iban(self):
        try:
            self.checked_iban = iban_check(self.cleaned_data["iban"])
        except IbanError as error:
            raise forms.ValidationError(error.message, code="iban") from error
        # Shown back as checked: upper case in groups of four.
        data = self.data.copy()
        data[self.add_prefix("iban")] = self.checked_iban.formatted
        self.data = data
        return self.checked_iban.iban

    def clean_holder_name(self):
        return " ".join(self.cleaned_data["holder_name"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("holder_is_other"):
            messages = {
                "holder_street": _("Please enter the account holder's street and number."),
                "holder_postal_code": _("Please enter the account holder's postal code."),
                "holder_city": _("Please enter the account holder's city."),
            }
            for field, message in messages.items():
                if not (cleaned.get(field) or "").strip():
                    self.add_error(field, message)
            if (
                cleaned.get("holder_country") == "DE"
                and cleaned.get("holder_postal_code")
                and not (
                    cleaned["holder_postal_code"].isdigit()
                    and len(cleaned["holder_postal_code"]) == 5
                )
            ):
                self.add_error(
                    "holder_postal_code", _("A German postal code has five digits, e.g. 22763.")
                )
        if self.require_consent and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Please grant the SEPA mandate; without it we cannot collect the rent."),
            )
        return cleaned

    def submit_arguments(self) -> dict:
        """What `contracts.services.bank_change_submit` takes from the valid form (the page and
        the app API both submit through it)."""
        data = self.cleaned_data
        return {
            "checked_iban": self.checked_iban,
            "holder_name": data["holder_name"],
            "holder_is_tenant": not data["holder_is_other"],
            "holder_street": data["holder_street"],
            "holder_postal_code": data["holder_postal_code"],
            "holder_city": data["holder_city"],
            "holder_country": data["holder_country"],
            "expected_reference": data["reference"] or None,
            "submission": data["submission"],
        }
