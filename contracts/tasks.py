from celery import shared_task

from tenants.assignment import assignment_route, assignment_route_pending

from .services import bank_change_assignment


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def bank_change_route_task(bank_change_id: int) -> None:
    """Idempotent: a routed bank change is left alone."""
    assignment_route(rules=bank_change_assignment, item_id=bank_change_id)


@shared_task
def bank_changes_route_pending_task(older_than_seconds: int | None = None) -> int:
    """Re-dispatch bank changes still unrouted after a while (the broker was down)."""
    return assignment_route_pending(
        rules=bank_change_assignment,
        task=bank_change_route_task,
        older_than_seconds=older_than_seconds,
    )
