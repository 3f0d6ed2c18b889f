import logging

from celery import current_app as celery_app
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .registry import dashboard_cards
from .selectors import faq_list, tenant_for_user

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
    tenant = tenant_for_user(user=request.user)
    return render(request, "tenants/profile.html", {"tenant": tenant})


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
