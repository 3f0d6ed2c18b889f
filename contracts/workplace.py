"""Bank changes on "Mein Arbeitsplatz": what waits for approval, linked to the filtered list.

The links use the change list's own filters (status, assigned to, due), so each count is
exactly the number of rows its list shows.
"""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.registry import WorkplaceItem

from .models import BankChangeRequest


def bank_change_items(request: HttpRequest) -> list[WorkplaceItem]:
    """The panel's lines, counted in one query."""
    open_ = Q(status=BankChangeRequest.Status.OPEN)
    counts = BankChangeRequest.objects.filter(open_).aggregate(
        mine=Count("pk", filter=Q(assigned_to=request.user)),
        all=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())),
    )
    changelist = reverse("admin:contracts_bankchangerequest_changelist")
    status = f"status__exact={BankChangeRequest.Status.OPEN}"
    return [
        WorkplaceItem(
            _("Waiting for me"),
            counts["mine"],
            f"{changelist}?{status}&assigned_to__id__exact={request.user.pk}",
        ),
        WorkplaceItem(_("All waiting"), counts["all"], f"{changelist}?{status}"),
        WorkplaceItem(_("Overdue"), counts["overdue"], f"{changelist}?due=overdue", "warning"),
    ]
