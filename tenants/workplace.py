"""Mein Arbeitsplatz: the clerk's start page in the admin, gathered from the areas' panels.

The areas register their panels (`tenants.registry.register_workplace_panel`); the base layer
adds its own panel for background jobs. A panel is shown only to users with its permission,
and each panel counts in a constant number of queries, so the page costs the same with ten
requests or ten thousand.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .jobs import ACTIVE, job_list_for
from .models import Job, Property
from .registry import WorkplaceItem, WorkplacePanel, job_kind, workplace_panels

RECENT_JOBS = 5


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str
    items: list[WorkplaceItem]

    @property
    def is_clear(self) -> bool:
        """Nothing to do here: every count is zero and there is no single item to open."""
        return all(item.count == 0 for item in self.items)


def workplace_panels_for(*, request: HttpRequest) -> list[ShownPanel]:
    """The panels the acting clerk may see, in their order, with their counted items."""
    user = request.user
    shown = []
    for panel in sorted([*workplace_panels(), JOBS_PANEL], key=lambda p: p.order):
        if panel.permission and not user.has_perm(panel.permission):
            continue
        shown.append(ShownPanel(panel.key, str(panel.title), list(panel.items(request))))
    return shown


def _job_items(request: HttpRequest) -> list[WorkplaceItem]:
    """How many of the clerk's visible jobs still run, and the latest ones; 3 queries."""
    jobs = job_list_for(user=request.user)
    changelist = reverse("admin:tenants_job_changelist")
    items = [
        WorkplaceItem(
            _("Running or waiting"),
            jobs.filter(state__in=ACTIVE).count(),
            f"{changelist}?state__in={','.join(ACTIVE)}",
        )
    ]
    recent = list(jobs.order_by("-created_at")[:RECENT_JOBS])
    places = _scope_names([job.scope for job in recent])
    for job in recent:
        try:
            kind = str(job_kind(job.kind).label)
        except ImproperlyConfigured:  # a kind that has been removed since
            kind = job.kind
        if job.state in ACTIVE:
            state = _("%(percent)d %% done") % {"percent": job.progress_percent}
        else:
            state = job.get_state_display()
        items.append(
            WorkplaceItem(
                f"{kind} · {places.get(job.scope, job.scope)} – {state}",
                None,
                reverse("admin:tenants_job_change", args=[job.pk]),
                "warning" if job.state == Job.State.FAILED else "normal",
            )
        )
    return items


def _scope_names(scopes: list[str]) -> dict[str, str]:
    """Scopes "property:<pk>" in words ("1001 Wohnanlage Elbblick"); others stay as they are."""
    pks = {scope.partition(":")[2] for scope in scopes if scope.startswith("property:")}
    pks = {int(pk) for pk in pks if pk.isdigit()}
    if not pks:
        return {}
    return {f"property:{prop.pk}": str(prop) for prop in Property.objects.filter(pk__in=pks)}


JOBS_PANEL = WorkplacePanel(
    key="jobs",
    order=90,
    # The job list's own permission; job_list_for then decides whose jobs are shown.
    permission="tenants.view_job",
    items=_job_items,
    title=_("Jobs: running and recent"),
)
