import functools
import hashlib
import json
import logging
from pathlib import Path

from celery import current_app as celery_app
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import etag, require_GET, require_safe

from .cards import TENANCY, cached_page_part, start_page_cards
from .context_processors import branding
from .film import film_page
from .forms import ContactForm, LanguageForm, PaperlessForm
from .http import client_ip
from .middleware import account_language_apply
from .selectors import faq_list, tenant_for_user
from .services import tenant_paperless_consent_set, tenant_phone_set, user_language_set
from .tenancy_state import tenancy_state

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tenant = tenant_for_user(user=request.user)
    if tenant is None:
        return render(request, "tenants/no_tenant.html", status=200)
    # The cards' HTML and quick actions, kept per tenant in the cache (tenants/cards.py).
    cards, actions = start_page_cards(request, tenant)
    return render(
        request, "tenants/home.html", {"tenant": tenant, "cards": cards, "actions": actions}
    )


def help_page(request: HttpRequest) -> HttpResponse:
    """The same for everyone: the film and the FAQ, kept per language (renewed by FAQ edits)."""
    language = get_language() or "de"

    def context() -> dict:
        topics: dict[str, list] = {}
        for entry in faq_list():
            topic, question, answer = entry.localized(language)
            topics.setdefault(topic, []).append({"question": question, "answer": answer})
        return {"topics": topics, "film": film_page(language[:2])}

    content = cached_page_part(
        request, None, name="help", template="tenants/_help.html", areas=("faq",), context=context
    )
    return render(request, "tenants/help.html", {"content": content})


def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    """Privacy and terms: the German text, or its English translation on an English page."""
    english = (get_language() or "de").startswith("en")
    return render(request, f"tenants/legal_{page}{'_en' if english else ''}.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The personal area: account, language, phone number, paperless delivery."""
    tenant = tenant_for_user(user=request.user)
    if request.method != "POST" and tenant is not None:
        # A plain visit: the content from the cache, renewed by every value it shows (the
        # account's and the tenant's fields, loaded with the account anyway), by the tenancy's
        # and the profile's area versions and by the day (the read-only notice's date).
        content = cached_page_part(
            request,
            tenant,
            name="profile",
            template=PROFILE_PART,
            areas=("profile", TENANCY),
            version=_profile_version(request.user, tenant),
            csrf=True,
            context=lambda: _profile_context(request, tenant, tenancy_state(tenant)),
        )
        return render(request, "tenants/profile.html", {"content": content})
    # After the tenancy the account only reads: no new phone number, no new consent. Withdrawing
    # the consent stays possible (Art. 7(3) GDPR), and so does the language of the pages.
    tenancy = tenancy_state(tenant)
    forms: dict = {}
    status = 200
    if request.method == "POST" and "save_language" in request.POST:
        language_form = forms["language_form"] = LanguageForm(request.POST, prefix="language")
        if language_form.is_valid():
            language = language_form.cleaned_data["language"]
            user_language_set(
                user=request.user, language=language, by=request.user, ip_address=client_ip(request)
            )
            account_language_apply(request, request.user)
            messages.success(request, _("Your language has been saved."))
            return redirect("tenants:profile")
    elif request.method == "POST" and tenant is not None:
        if "save_contact" in request.POST and tenancy.read_only:
            messages.error(request, tenancy.message())
            status = 403
        elif "save_contact" in request.POST:
            contact_form = forms["contact_form"] = ContactForm(
                request.POST, instance=tenant, prefix="contact"
            )
            if contact_form.is_valid():
                tenant_phone_set(
                    tenant=tenant,
                    phone=contact_form.cleaned_data["phone"],
                    by=request.user,
                    ip_address=client_ip(request),
                )
                messages.success(request, _("Your phone number has been saved."))
                return redirect("tenants:profile")
        elif "save_paperless" in request.POST:
            paperless_form = forms["paperless_form"] = PaperlessForm(
                request.POST, prefix="paperless"
            )
            if paperless_form.is_valid():
                consent = paperless_form.cleaned_data["paperless_consent"]
                if consent and tenancy.read_only:
                    messages.error(request, tenancy.message())
                    status = 403
                else:
                    tenant_paperless_consent_set(
                        tenant=tenant,
                        consent=consent,
                        by=request.user,
                        ip_address=client_ip(request),
                    )
                    messages.success(
                        request,
                        _("You will receive your documents in the portal from now on.")
                        if consent
                        else _("You will receive your documents by post again from now on."),
                    )
                    return redirect("tenants:profile")
    context = _profile_context(request, tenant, tenancy, **forms)
    content = get_template(PROFILE_PART).render({**context, "portal": branding()}, request)
    return render(request, "tenants/profile.html", {"content": content}, status=status)


PROFILE_PART = "tenants/_profile.html"


def _profile_version(user, tenant) -> tuple:
    """Every field of the account and of the tenant record: whatever the content shows of
    them, a change renders it afresh, wherever the change was made. Not the password hash, nor
    the last sign-in (neither is shown; every sign-in would render the content again)."""
    from .models import Tenant, User

    return (
        *(getattr(user, f.attname) for f in User._meta.concrete_fields if f.name not in _UNSHOWN),
        *(getattr(tenant, field.attname) for field in Tenant._meta.concrete_fields),
    )


_UNSHOWN = ("password", "last_login")


def _profile_context(request: HttpRequest, tenant, tenancy, **forms) -> dict:
    """The profile's content; `forms` holds the form a failed POST sends back with its errors."""
    from .context_processors import portal

    defaults = {
        "language_form": lambda: LanguageForm(
            initial={"language": request.user.language}, prefix="language"
        )
    }
    if tenant is not None:
        defaults["contact_form"] = lambda: ContactForm(instance=tenant, prefix="contact")
        defaults["paperless_form"] = lambda: PaperlessForm(
            initial={"paperless_consent": tenant.paperless_consent}, prefix="paperless"
        )
    for name, form in defaults.items():
        if name not in forms:
            forms[name] = form()
    return {
        "user": request.user,
        "tenant": tenant,
        "read_only_notice": tenancy.message() if tenancy.read_only else "",
        "nav_urls": portal(request)["nav_urls"],
        **forms,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability for the load balancer and monitoring.

    503 only when the database is down: without Redis the portal still serves pages and keeps
    mail in the outbox, so a broker outage is reported as "degraded", not taken out of service.
    """
    status = {"database": "ok", "broker": "ok"}
    healthy = True
    degraded = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.error("Health check: database unreachable: %s", exc)
        status["database"] = "unavailable"
        healthy = False
    if celery_app.conf.task_always_eager:
        status["broker"] = "in-process"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            logger.error("Health check: broker unreachable: %s", exc)
            status["broker"] = "unavailable"
            degraded = True
    status["status"] = "error" if not healthy else ("degraded" if degraded else "ok")
    return JsonResponse(status, status=200 if healthy else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without context processors or database access: only the branding settings."""
    from django.template import loader

    from .context_processors import branding

    html = loader.get_template("500.html").render({"portal": branding()})
    return HttpResponse(html, status=500)


# Installable portal (PWA). The service worker keeps only the offline page and the static files
# it needs; every other page, download and the admin stay network-only, so nothing personal is
# ever stored on the device. A test checks that the offline page references nothing else.
# The brand blue and the page background of static/css/portal.css (--color-brand-700, --color-bg).
PWA_THEME_COLOR = "#0b5394"
PWA_BACKGROUND_COLOR = "#f3f5f8"
PWA_OFFLINE_ASSETS = (
    "css/portal.css",
    "img/brand.svg",
    "img/favicon.svg",
    "img/icon-apple-180.png",
    "js/pwa.js",
)
PWA_ICONS = (
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
)


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    manifest = {
        "id": "/",
        "name": settings.PORTAL_NAME,
        "short_name": settings.PORTAL_NAME,
        "description": _("The tenant portal of %(company)s") % {"company": settings.PORTAL_COMPANY},
        "lang": get_language() or settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": reverse("tenants:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": PWA_THEME_COLOR,
        "background_color": PWA_BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in PWA_ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows when a page cannot be loaded: no names, no contracts."""
    response = render(request, "offline.html")
    response["Cache-Control"] = "no-cache"
    return response


@functools.cache
def _service_worker_cached() -> tuple[str, str]:
    return _service_worker_build()


def _service_worker_build() -> tuple[str, str]:
    """The script and its version: a hash of everything it precaches, so that a deploy that
    changes the offline page or its assets installs a new worker, which drops the old cache."""
    offline_url = reverse("tenants:offline")
    assets = [static(path) for path in PWA_OFFLINE_ASSETS]
    template = get_template("sw.js")
    digest = hashlib.sha256(template.template.source.encode())
    with translation.override(settings.LANGUAGE_CODE):
        digest.update(render_to_string("offline.html", {"portal": branding()}).encode())
    for path, url in zip(PWA_OFFLINE_ASSETS, assets, strict=True):
        digest.update(url.encode())
        found = finders.find(path)
        if found:
            digest.update(Path(found).read_bytes())
    version = digest.hexdigest()[:16]
    script = template.render(
        {
            "version": version,
            "offline_url": json.dumps(offline_url),
            "precache": json.dumps([offline_url, *assets]),
        }
    )
    return script, version


def _service_worker() -> tuple[str, str]:
    return _service_worker_build() if settings.DEBUG else _service_worker_cached()


@require_safe
@etag(lambda request: _service_worker()[1])
def service_worker(request: HttpRequest) -> HttpResponse:
    # Served from the root (not /static/) so that its scope covers the whole portal.
    script, _version = _service_worker()
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
