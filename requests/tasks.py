from celery import shared_task

from .services import request_route as route
from .services import request_route_pending


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def request_route(request_id: int) -> None:
    """Idempotent: a routed request is left alone."""
    route(request_id=request_id)


@shared_task
def request_route_pending_task() -> int:
    return request_route_pending()
