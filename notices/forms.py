from django import forms
from django.utils.translation import gettext_lazy as _


class NoticePreferenceForm(forms.Form):
    notices_by_email = forms.BooleanField(
        label=_("Send me every notice for my building by e-mail, not only urgent ones."),
        required=False,
    )
