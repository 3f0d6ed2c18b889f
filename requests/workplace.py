"""Kontakt on "Mein Arbeitsplatz": the clerk's queues, counted and linked to the filtered list.

The queues are defined once here and used by both the panel's counts and the change list's
filter (`AssignedFilter`), so a count and the list behind its link cannot disagree.
"""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Team, User
from tenants.registry import WorkplaceItem

from .models import ContactRequest

# The values of the change list's `assigned` filter.
MINE = "mine_open"
MINE_OR_MY_TEAMS = "mine_or_my_teams"
UNASSIGNED_IN_MY_TEAMS = "unassigned_in_my_teams"


def queue_q(*, queue: str, user: User) -> Q:
    """Open requests of one of the clerk's queues."""
    my_teams = Team.objects.filter(members=user).values("pk")
    open_ = ~Q(status=ContactRequest.Status.DONE)
    if queue == MINE:
        return open_ & Q(assigned_to=user)
    if queue == MINE_OR_MY_TEAMS:
        return open_ & (Q(assigned_to=user) | Q(assigned_team__in=my_teams))
    if queue == UNASSIGNED_IN_MY_TEAMS:
        return open_ & Q(assigned_to__isnull=True, assigned_team__in=my_teams)
    raise ValueError(queue)


def overdue_q() -> Q:
    """As the change list's "due: overdue" filter: not done and the due date has passed."""
    return ~Q(status=ContactRequest.Status.DONE) & Q(due_date__lt=timezone.localdate())


def contact_request_items(request: HttpRequest) -> list[WorkplaceItem]:
    """The panel's lines, counted in one query."""
    user = request.user
    counts = ContactRequest.objects.aggregate(
        mine=Count("pk", filter=queue_q(queue=MINE, user=user)),
        overdue=Count("pk", filter=queue_q(queue=MINE_OR_MY_TEAMS, user=user) & overdue_q()),
        unassigned=Count("pk", filter=queue_q(queue=UNASSIGNED_IN_MY_TEAMS, user=user)),
    )
    changelist = reverse("admin:requests_contactrequest_changelist")
    return [
        WorkplaceItem(_("My open requests"), counts["mine"], f"{changelist}?assigned={MINE}"),
        WorkplaceItem(
            _("Overdue (mine and my teams')"),
            counts["overdue"],
            f"{changelist}?assigned={MINE_OR_MY_TEAMS}&due=overdue",
            "warning",
        ),
        WorkplaceItem(
            _("Nobody responsible yet in my teams"),
            counts["unassigned"],
            f"{changelist}?assigned={UNASSIGNED_IN_MY_TEAMS}",
        ),
    ]
