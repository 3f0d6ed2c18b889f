from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def index(request: HttpRequest) -> HttpResponse:
    # This area is being built; until then the page says how to reach the company instead.
    return render(request, "tenants/area_coming_soon.html", {"area": "documents"})
