from .models import Delivery


def documents_card(request, tenant) -> dict:
    deliveries = Delivery.objects.filter(tenant=tenant)
    return {
        "new_count": deliveries.filter(first_opened_at__isnull=True).count(),
        "latest": list(deliveries.select_related("document").order_by("-published_at")[:3]),
    }
