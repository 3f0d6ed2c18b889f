"""Who works on a tenant's concern: routing to the responsible clerk, taking over, handing on.

One set of services for every area whose model subclasses `tenants.models.Assignment` (bank
changes, Kontakt). The area passes an `AssignmentRules` object for what differs between areas;
this module never imports an area.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import PortalError
from .models import Assignment, Property, Team, Tenant, User
from .selectors import responsible_for
from .services import audit_log, task_dispatch

logger = logging.getLogger(__name__)


class AssignmentError(PortalError):
    pass


class AssignmentRules:
    """What an area tells the base layer about its items: subclass it once per model.

    The hooks run inside the service's transaction with the item locked; `notify_clerk` and
    `on_routed` only queue mail (the outbox sends it after commit).
    """

    model: type[Assignment]
    # Audit actions are "<prefix>.routed", "<prefix>.taken_over" and "<prefix>.reassigned".
    audit_prefix: str
    # When the item came in: the sweeper routes the oldest first, after a grace period.
    received_field: str = "created_at"
    # Loaded with the locked item, for the hooks.
    select_related: tuple[str, ...] = ()

    def area_of(self, item: Assignment) -> str:
        raise NotImplementedError

    def property_of(self, item: Assignment) -> Property | None:
        """The property whose responsible clerk gets the item; None: the area's default team."""
        raise NotImplementedError

    def tenant_of(self, item: Assignment) -> Tenant | None:
        raise NotImplementedError

    def is_finished(self, item: Assignment) -> bool:
        """A finished item is never routed, taken over or reassigned again."""
        raise NotImplementedError

    def notify_clerk(self, item: Assignment, *, recipient: str) -> None:
        """Tell the clerk (or the team's mailbox) that the item waits for them."""
        raise NotImplementedError

    def on_routing(self, item: Assignment) -> list[str]:
        """The area's own changes when the item is routed; returns the fields it set."""
        return []

    def on_routed(self, item: Assignment) -> None:
        """After the routing is saved, e.g. the tenant's confirmation."""

    def unrouted(self) -> models.QuerySet:
        """What the sweeper looks at."""
        return self.model.objects.filter(routed_at__isnull=True)


def assignment_route(*, rules: AssignmentRules, item_id: int) -> Assignment | None:
    """Assign the item to the responsible clerk and team of its property and area; runs once.

    A clerk who took the item over before it was routed keeps it, and the audit row and the
    notice name that clerk. With nobody responsible the item stays unrouted: the sweeper tries
    again and logs until someone is set up, so nothing disappears from every queue.
    """
    with transaction.atomic():
        item = _locked(rules, item_id)
        if item is None or item.routed_at is not None:
            return item
        if rules.is_finished(item):
            # Finished before it was routed (replaced, withdrawn, done): nobody needs to look.
            item.routed_at = timezone.now()
            item.save(update_fields=["routed_at"])
            return item
        clerk, team = _responsible(rules, item)
        if item.assigned_to is not None:
            clerk = item.assigned_to
        if clerk is None and team is None:
            logger.error(
                "%s %s: nobody responsible for area %s",
                rules.model._meta.label,
                item.pk,
                rules.area_of(item),
            )
            return item
        item.assigned_to = clerk
        item.assigned_team = team
        item.routed_at = timezone.now()
        fields = ["assigned_to", "assigned_team", "routed_at", *rules.on_routing(item)]
        item.save(update_fields=fields)
        audit_log(
            action=f"{rules.audit_prefix}.routed",
            obj=item,
            tenant=rules.tenant_of(item),
            changes={
                "assigned_to": clerk.email if clerk else None,
                "assigned_team": team.name if team else None,
            },
        )
        recipient = (clerk.email if clerk else "") or (team.email if team else "")
        if recipient:
            rules.notify_clerk(item, recipient=recipient)
        else:
            logger.error("%s %s: nobody to notify", rules.model._meta.label, item.pk)
        rules.on_routed(item)
    return item


def assignment_take_over(*, rules: AssignmentRules, item: Assignment, clerk: User) -> Assignment:
    """A clerk takes the item on themselves. Nobody is e-mailed: the clerk knows."""
    return _assign(rules=rules, item=item, clerk=clerk, by=clerk, action="taken_over")


def assignment_reassign(
    *, rules: AssignmentRules, item: Assignment, clerk: User | None, by: User
) -> Assignment:
    """A clerk hands the item to a colleague, who is told; `clerk=None` leaves it to the team."""
    return _assign(rules=rules, item=item, clerk=clerk, by=by, action="reassigned")


def assignment_route_pending(
    *, rules: AssignmentRules, task, older_than_seconds: int | None = None, limit: int = 500
) -> int:
    """Dispatch the routing task for items still unrouted after a grace period.

    The broker was down, or a worker died in the middle of routing (its transaction rolled back;
    the broker would hand the message out again only after its visibility timeout). The grace
    period (PORTAL_ROUTE_SWEEP_AFTER) leaves the normal path time to finish. Returns how many
    were dispatched; stops at the first failure (the broker is still away).
    """
    if older_than_seconds is None:
        older_than_seconds = settings.PORTAL_ROUTE_SWEEP_AFTER
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        rules.unrouted()
        .filter(**{f"{rules.received_field}__lte": cutoff})
        .order_by(rules.received_field)
        .values_list("pk", flat=True)[:limit]
    )
    dispatched = 0
    for pk in ids:
        if not task_dispatch(task, pk):
            break
        dispatched += 1
    return dispatched


def _locked(rules: AssignmentRules, pk: int) -> Assignment | None:
    return (
        rules.model.objects.select_for_update(of=("self",))
        .select_related(*rules.select_related)
        .filter(pk=pk)
        .first()
    )


def _responsible(rules: AssignmentRules, item: Assignment) -> tuple[User | None, Team | None]:
    area = rules.area_of(item)
    prop = rules.property_of(item)
    if prop is not None:
        return responsible_for(property=prop, area=area)
    return None, Team.objects.filter(area=area, is_default=True).first()


def _assign(
    *, rules: AssignmentRules, item: Assignment, clerk: User | None, by: User, action: str
) -> Assignment:
    with transaction.atomic():
        # Re-read under the lock: the caller's copy may already carry the new clerk (admin form)
        # or be stale (finished in the meantime).
        item = _locked(rules, item.pk)
        if rules.is_finished(item):
            raise AssignmentError(
                _("This is already finished and can no longer be assigned to anyone."),
                code="finished",
            )
        previous = item.assigned_to
        if previous == clerk:
            return item
        item.assigned_to = clerk
        # "Last activity" and the like move with a clerk's action.
        touched = [f.name for f in item._meta.concrete_fields if getattr(f, "auto_now", False)]
        item.save(update_fields=["assigned_to", *touched])
        audit_log(
            action=f"{rules.audit_prefix}.{action}",
            obj=item,
            actor=by,
            tenant=rules.tenant_of(item),
            changes={
                "from": previous.email if previous else None,
                "to": clerk.email if clerk else None,
            },
        )
        if action == "reassigned" and clerk is not None and clerk.email:
            rules.notify_clerk(item, recipient=clerk.email)
    return item
