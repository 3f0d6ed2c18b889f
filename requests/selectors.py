from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from .models import Attachment, Category, ContactRequest, Message


def request_list(*, tenant: Tenant) -> QuerySet[ContactRequest]:
    """The tenant's own requests, newest first (constant queries: one, annotated)."""
    return (
        ContactRequest.objects.filter(tenant=tenant)
        .select_related("category")
        .annotate(
            answers=Count(
                "messages", filter=Q(messages__from_tenant=False, messages__internal=False)
            )
        )
        .order_by("-created_at")
    )


def request_get(*, tenant: Tenant, reference: str) -> ContactRequest:
    """One of the tenant's requests with what the tenant may see; anyone else's is 404.

    Internal notes are filtered out here, so no template can show them by mistake.
    """
    visible = Message.objects.filter(internal=False).select_related("author")
    return get_object_or_404(
        ContactRequest.objects.filter(tenant=tenant)
        .select_related("category", "unit__property")
        .prefetch_related(
            Prefetch("messages", queryset=visible, to_attr="visible_messages"),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    Q(message__isnull=True) | Q(message__internal=False)
                ),
                to_attr="visible_attachments",
            ),
            "status_changes",
        ),
        reference=reference,
    )


def attachment_get(*, tenant: Tenant, reference: str, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(Q(message__isnull=True) | Q(message__internal=False)),
        pk=pk,
        request__reference=reference,
        request__tenant=tenant,
    )


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "name")
