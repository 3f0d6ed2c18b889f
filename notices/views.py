from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.cards import TENANCY, cached_page_part
from tenants.decorators import tenant_required

from .forms import NoticePreferenceForm
from .selectors import notice_list
from .services import notice_open, notice_preference_set


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    content = cached_page_part(
        request,
        request.tenant,
        name="notices",
        template="notices/_index.html",
        areas=("notices", TENANCY),
        context=lambda: {"notices": notice_list(tenant=request.tenant)},
    )
    return render(request, "notices/index.html", {"content": content})


@login_required
@tenant_required
def detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notice_open(tenant=request.tenant, notice_id=notice_id)
    return render(request, "notices/detail.html", {"notice": notice})


@require_POST
@login_required
@tenant_required
def preference(request: HttpRequest) -> HttpResponse:
    form = NoticePreferenceForm(request.POST, prefix="notices")
    if form.is_valid():
        notice_preference_set(
            user=request.user, notices_by_email=form.cleaned_data["notices_by_email"]
        )
        messages.success(request, _("Your choice for notices has been saved."))
    return redirect("tenants:profile")
