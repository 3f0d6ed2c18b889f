from functools import wraps

from django.shortcuts import render

from .selectors import tenant_for_user


def tenant_required(view):
    """Resolve the acting tenant into request.tenant; accounts without one get an explanation."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = tenant_for_user(user=request.user)
        if tenant is None:
            return render(request, "tenants/no_tenant.html", status=403)
        request.tenant = tenant
        return view(request, *args, **kwargs)

    return wrapper
