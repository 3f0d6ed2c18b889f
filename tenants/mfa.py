"""Second factors (django-allauth's MFA): what counts as one, and who must have one."""

from functools import cache

from django.conf import settings


def user_has_second_factor(*, user) -> bool:
    """An authenticator app or a passkey; recovery codes only exist beside one of them."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def staff_second_factor_missing(*, user) -> bool:
    """A signed-in clerk who must set up a second factor before the admin opens."""
    return bool(
        settings.PORTAL_STAFF_MFA_REQUIRED
        and user.is_authenticated
        and user.is_staff
        and not user_has_second_factor(user=user)
    )


def second_factor_offer() -> str:
    """Said once after a tenant's registration: the offer, not a duty (only clerks must)."""
    from django.utils.translation import gettext

    return gettext(
        "Tip: under “Personal area” → “Security” you can also protect your access with a second "
        "factor – an app on your phone or a passkey that signs you in without a password."
    )


@cache
def _add_webauthn_form_class():
    from allauth.mfa.webauthn.forms import AddWebAuthnForm
    from django import forms
    from django.utils.translation import gettext_lazy as _

    class PortalAddWebAuthnForm(AddWebAuthnForm):
        """allauth's form in the portal's words; a passkey signs in without a password unless
        the tenant unticks it (then it is only a second factor after the password)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["name"].label = _("Name of the passkey")
            self.fields["name"].help_text = _("So you can tell your devices apart later.")
            if "passwordless" in self.fields:
                self.fields["passwordless"] = forms.BooleanField(
                    label=_("Sign in with this passkey without a password"),
                    required=False,
                    initial=True,
                    help_text=_("Needs a device that checks your fingerprint, face or PIN."),
                )

    return PortalAddWebAuthnForm


def __getattr__(name):
    # allauth loads the form by its dotted path (MFA_FORMS); built on first use so that this
    # module imports nothing of allauth's models before the app registry is ready.
    if name == "PortalAddWebAuthnForm":
        return _add_webauthn_form_class()
    raise AttributeError(name)
