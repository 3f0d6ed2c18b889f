from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.delivery import private_file_response
from tenants.calendar import is_business_hours
from tenants.cards import cached_page_part
from tenants.decorators import tenant_required
from tenants.errors import PortalError
from tenants.http import client_ip

from .attachments import limit_uploads, refused_uploads
from .details import detail_rows
from .forms import ReplyForm, RequestForm
from .models import Category
from .selectors import (
    attachment_get,
    category_groups,
    category_list,
    request_get,
    request_list,
    request_unit_choices,
)
from .services import request_create, request_reply_by_tenant, request_reply_check


def _emergency_context() -> dict:
    return {"outside_business_hours": not is_business_hours(timezone.now())}


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    # The emergency notice changes with the hour: it stays in the page around the cached list.
    content = cached_page_part(
        request,
        request.tenant,
        name="requests",
        template="requests/_index.html",
        areas=("requests",),
        context=lambda: {"requests": request_list(tenant=request.tenant)},
    )
    return render(request, "requests/index.html", {"content": content, **_emergency_context()})


@login_required
@tenant_required
def choose_category(request: HttpRequest) -> HttpResponse:
    language = get_language() or "de"
    groups = {
        Category.Group(group).label: [
            {
                "pk": category.pk,
                "name": category.localized_name(language),
                "damage": category.is_damage,
            }
            for category in categories
        ]
        for group, categories in category_groups()
    }
    return render(request, "requests/choose.html", {"groups": groups, **_emergency_context()})


@limit_uploads
@login_required
@tenant_required
def create(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(category_list(), pk=category_id)
    units = request_unit_choices(tenant=request.tenant)
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        units=units,
        refused_uploads=refused_uploads(request),
    )
    if request.method == "POST" and form.is_valid():
        created = request_create(
            tenant=request.tenant,
            category=category,
            user=request.user,
            ip_address=client_ip(request),
            **form.request_fields(),
        )
        messages.success(
            request,
            _(
                "Thank you. Your request has reference %(reference)s; we have sent you a "
                "confirmation."
            )
            % {"reference": created.reference},
        )
        return redirect("requests:detail", created.reference)
    return render(
        request,
        "requests/create.html",
        {
            "form": form,
            "category": category,
            "category_name": category.localized_name(get_language() or "de"),
            **_emergency_context(),
        },
    )


@limit_uploads
@login_required
@tenant_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    contact = request_get(tenant=request.tenant, reference=reference)
    form = ReplyForm(
        request.POST or None,
        request.FILES or None,
        refused_uploads=refused_uploads(request),
        contact_request=contact,
    )
    if request.method == "POST":
        try:
            request_reply_check(contact_request=contact)
        except PortalError as error:
            messages.error(request, error.message)
            return redirect("requests:detail", reference)
        if form.is_valid():
            try:
                request_reply_by_tenant(
                    contact_request=contact,
                    tenant=request.tenant,
                    body=form.cleaned_data["message"],
                    files=form.checked_files,
                )
            except PortalError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your answer has been sent."))
            return redirect("requests:detail", reference)
    return render(
        request,
        "requests/detail.html",
        {
            "contact": contact,
            "form": form,
            "detail_rows": detail_rows(contact.details),
            **_emergency_context(),
        },
    )


@login_required
@tenant_required
def attachment(request: HttpRequest, reference: str, pk: int, thumbnail: bool = False):
    item = attachment_get(tenant=request.tenant, reference=reference, pk=pk)
    stored = item.thumbnail if thumbnail else item.file
    if not stored:
        raise Http404
    return private_file_response(
        stored,
        filename=item.original_name,
        content_type="image/jpeg" if thumbnail else item.content_type,
        inline=thumbnail or item.is_image,
    )
