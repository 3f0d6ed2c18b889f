from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from .models import Delivery, StaticForm


def delivery_list(*, tenant: Tenant, kind: str | None = None) -> QuerySet[Delivery]:
    """The tenant's documents (one query), newest year first."""
    deliveries = Delivery.objects.filter(tenant=tenant).select_related("document")
    if kind:
        deliveries = deliveries.filter(document__kind=kind)
    return deliveries.order_by("-document__year", "document__kind", "-published_at")


def delivery_get(*, tenant: Tenant, document_id: int) -> Delivery:
    """The tenant's delivery of a document; a document not delivered to them is 404."""
    return get_object_or_404(
        Delivery.objects.select_related("document"), tenant=tenant, document_id=document_id
    )


def static_form_list() -> QuerySet[StaticForm]:
    return StaticForm.objects.filter(is_active=True).order_by("order", "title")


def static_form_get(*, pk: int) -> StaticForm:
    """A form on offer; one taken off the list is 404."""
    return get_object_or_404(static_form_list(), pk=pk)
