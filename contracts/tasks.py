from celery import shared_task

from .services import bank_change_route as route


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def bank_change_route(request_id: int) -> None:
    """Idempotent: a routed request is left alone."""
    route(request_id=request_id)


@shared_task
def bank_change_route_pending() -> int:
    """Re-dispatch requests that are still unrouted after a while (broker was down)."""
    from datetime import timedelta

    from django.utils import timezone

    from tenants.services import task_dispatch

    from .models import BankChangeRequest

    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        BankChangeRequest.objects.filter(routed_at__isnull=True, received_at__lte=stale)
        .exclude(status=BankChangeRequest.Status.REPLACED)
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        task_dispatch(bank_change_route, pk)
    return len(ids)
