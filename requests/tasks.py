from celery import shared_task

from tenants.assignment import assignment_route, assignment_route_pending

from .services import contact_request_assignment, scheduled_address_changes_apply


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def contact_request_route_task(contact_request_id: int) -> None:
    """Idempotent: a routed request is left alone."""
    assignment_route(rules=contact_request_assignment, item_id=contact_request_id)


@shared_task
def contact_requests_route_pending_task(older_than_seconds: int | None = None) -> int:
    """Re-dispatch requests still unrouted after a while (the broker was down)."""
    return assignment_route_pending(
        rules=contact_request_assignment,
        task=contact_request_route_task,
        older_than_seconds=older_than_seconds,
    )


@shared_task(acks_late=True)
def scheduled_address_changes_apply_task() -> int:
    """Daily (beat): the changes of address that take effect today or were missed. Idempotent."""
    return scheduled_address_changes_apply()
