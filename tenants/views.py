import logging

from celery import current_app as celery_app
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import ContactForm, PaperlessForm
from .http import client_ip
from .registry import dashboard_cards
from .selectors import faq_list, tenant_for_user
from .services import tenant_paperless_consent_set, tenant_phone_set

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tenant = tenant_for_user(user=request.user)
    if tenant is None:
        return render(request, "tenants/no_tenant.html", status=200)
    cards = []
    for card in dashboard_cards():
        context = card.context(request, tenant)
        if context is not None:
            cards.append({"template": card.template, "context": context, "key": card.key})
    return render(request, "tenants/home.html", {"tenant": tenant, "cards": cards})


def help_page(request: HttpRequest) -> HttpResponse:
    language = get_language() or "de"
    topics: dict[str, list] = {}
    for entry in faq_list():
        topic, question, answer = entry.localized(language)
        topics.setdefault(topic, []).append({"question": question, "answer": answer})
    return render(request, "tenants/help.html", {"topics": topics})


def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    return render(request, f"tenants/legal_{page}.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The personal area: account, phone number, paperless delivery."""
    tenant = tenant_for_user(user=request.user)
    contact_form = ContactForm(instance=tenant, prefix="contact") if tenant else None
    paperless_form = (
        PaperlessForm(initial={"paperless_consent": tenant.paperless_consent}, prefix="paperless")
        if tenant
        else None
    )
    if request.method == "POST" and tenant is not None:
        if "save_contact" in request.POST:
            contact_form = ContactForm(request.POST, instance=tenant, prefix="contact")
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
            paperless_form = PaperlessForm(request.POST, prefix="paperless")
            if paperless_form.is_valid():
                consent = paperless_form.cleaned_data["paperless_consent"]
                tenant_paperless_consent_set(
                    tenant=tenant, consent=consent, by=request.user, ip_address=client_ip(request)
                )
                messages.success(
                    request,
                    _("You will receive your documents in the portal from now on.")
                    if consent
                    else _("You will receive your documents by post again from now on."),
                )
                return redirect("tenants:profile")
    return render(
        request,
        "tenants/profile.html",
        {"tenant": tenant, "contact_form": contact_form, "paperless_form": paperless_form},
    )


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
