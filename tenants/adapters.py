from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from .context_processors import branding
from .http import client_ip
from .middleware import account_language_apply
from .services import email_language, email_queue_message

# allauth mails whose text lets the reader into an account.
SENSITIVE_TEMPLATES = (
    "account/email/email_confirmation",
    "account/email/password_reset",
    "account/email/login_code",
)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Sign-up happens only through the letter code (registration app), never openly.
        return False

    def get_client_ip(self, request) -> str:
        # allauth's rate limits (login, password reset) count per client like ours do; without
        # this they would count the load balancer's address for everybody behind it.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_login_redirect_url(self, request) -> str:
        # Clerks have no tenancy (tenants.selectors.tenant_for_user): they start in the admin.
        user = request.user
        if user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def login(self, request, user) -> None:
        """Signed in: the pages use the account's language from here on (PortalLocaleMiddleware)."""
        super().login(request, user)
        account_language_apply(request, user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Like allauth's, but every mail goes through the outbox instead of straight to SMTP."""
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "portal": branding(),
        }
        ctx.update(context)
        # In the account's language; to an address without an account (e.g. a password reset
        # for an unknown address) in the language of the page that asked for it.
        with translation.override(email_language(email, default=translation.get_language())):
            message = self.render_mail(template_prefix, email, ctx)
            email_queue_message(
                message=message,
                kind=template_prefix,
                sensitive=template_prefix.startswith(SENSITIVE_TEMPLATES),
            )
