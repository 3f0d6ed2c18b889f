from django import forms
from django.utils.translation import gettext_lazy as _

from documents.fields import MultipleFileField, MultipleFileInput
from tenants.forms import PortalFormMixin

from .attachments import check_uploads
from .models import Category


class AttachmentsMixin(PortalFormMixin, forms.Form):
    attachments = MultipleFileField(
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,application/pdf"}
        ),
        label=_("Photos or documents"),
        required=False,
        help_text=_("Photos (JPEG, PNG, HEIC) or PDF, up to 5 files of at most 10 MB each."),
    )

    already_attached = 0

    def __init__(self, *args, refused_uploads=(), **kwargs):
        """`refused_uploads`: what AttachmentUploadHandler stopped while the body came in."""
        super().__init__(*args, **kwargs)
        self.refused_uploads = list(refused_uploads)

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if self.refused_uploads:
            raise forms.ValidationError(self.refused_uploads)
        self.checked_files = check_uploads(files, already=self.already_attached)
        return files


class RequestForm(AttachmentsMixin):
    unit = forms.ChoiceField(label=_("Which flat or parking space is it about?"))
    subject = forms.CharField(
        label=_("Subject"), max_length=200, required=False, help_text=_("A few words, optional.")
    )
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Please describe your request.")},
    )
    # Damage reports
    location = forms.CharField(
        label=_("Where in the flat?"),
        max_length=200,
        help_text=_("e.g. bathroom, under the sink"),
        error_messages={"required": _("Please tell us where in the flat the damage is.")},
    )
    since = forms.CharField(
        label=_("Since when?"),
        max_length=100,
        help_text=_("e.g. since yesterday evening"),
        error_messages={"required": _("Please tell us since when you have noticed the damage.")},
    )
    getting_worse = forms.ChoiceField(
        label=_("Is it getting worse?"),
        choices=[("", "–"), ("yes", _("yes")), ("no", _("no")), ("unknown", _("I don't know"))],
        required=False,
    )
    access = forms.CharField(
        label=_("Access for the craftsman"),
        max_length=300,
        required=False,
        help_text=_("e.g. mornings only, key with the neighbour, dog in the flat"),
    )
    # Change of postal address
    street = forms.CharField(
        label=_("New street and number"),
        max_length=200,
        error_messages={"required": _("Please enter the new street and house number.")},
    )
    address_extra = forms.CharField(label=_("Address supplement"), max_length=200, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        error_messages={"required": _("Please enter the postal code of the new address.")},
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        error_messages={"required": _("Please enter the city of the new address.")},
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please enter a date, e.g. 01.12.2026.")},
    )
    # Document request
    document = forms.CharField(
        label=_("Which document?"),
        max_length=200,
        help_text=_("e.g. operating cost statement"),
        error_messages={"required": _("Please tell us which document you need.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1990,
        max_value=2100,
        required=False,
        error_messages={"invalid": _("Please enter the year as a number, e.g. 2025.")},
    )

    FIELDS_BY_FORM = {
        Category.Form.PLAIN: [],
        Category.Form.DAMAGE: ["location", "since", "getting_worse", "access"],
        Category.Form.ADDRESS: ["street", "address_extra", "postal_code", "city", "valid_from"],
        Category.Form.DOCUMENT: ["document", "year"],
    }
    ALL_EXTRA = [
        "location",
        "since",
        "getting_worse",
        "access",
        "street",
        "address_extra",
        "postal_code",
        "city",
        "valid_from",
        "document",
        "year",
    ]

    def __init__(self, *args, category: Category, units: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.units = {str(unit.pk): unit for unit, _label in units}
        self.extra_fields = self.FIELDS_BY_FORM[category.form]
        for name in self.ALL_EXTRA:
            if name not in self.extra_fields:
                del self.fields[name]
        # The postal address belongs to the tenant, not to a flat or parking space.
        if len(units) > 1 and category.form != Category.Form.ADDRESS:
            self.fields["unit"].choices = [("", "–"), *((str(u.pk), label) for u, label in units)]
            self.fields["unit"].error_messages["required"] = _(
                "Please choose the flat or parking space."
            )
        else:
            # One contract (or none): chosen automatically.
            del self.fields["unit"]
        if category.form == Category.Form.ADDRESS:
            self.fields["message"].required = False
            self.units = {}
        # The order of the page, so the error summary lists the errors as the fields appear.
        self.order_fields(["unit", *self.extra_fields, "subject", "message", "attachments"])

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if len(code) == 5 and not code.isdigit():
            raise forms.ValidationError(_("A German postal code has five digits, e.g. 22763."))
        return code

    def selected_unit(self):
        if "unit" in self.fields:
            return self.units.get(self.cleaned_data.get("unit"))
        return next(iter(self.units.values()), None)

    def details(self) -> dict:
        values = {}
        for name in self.extra_fields:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values

    def request_fields(self) -> dict:
        """What `services.request_create` takes from the valid form (the page and the app)."""
        return {
            "message": self.cleaned_data["message"] or str(_("Please change my postal address.")),
            "subject": self.cleaned_data["subject"],
            "unit": self.selected_unit(),
            "details": self.details(),
            "files": self.checked_files,
        }


class ReplyForm(AttachmentsMixin):
    message = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Please write your answer.")},
    )

    def __init__(self, *args, contact_request=None, **kwargs):
        """`contact_request` (from `request_get`): its visible files count towards the limit."""
        super().__init__(*args, **kwargs)
        if contact_request is not None:
            self.already_attached = len(contact_request.visible_attachments)
