import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Tenant

_PHONE_CHARS = re.compile(r"^[0-9+()/\-\s]*$")


class ContactForm(forms.ModelForm):
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


class PaperlessForm(forms.Form):
    paperless_consent = forms.BooleanField(
        label=_(
            "I would like to receive my documents electronically in the portal instead of by post."
        ),
        required=False,
    )
