"""Reads of notices: always scoped to the acting tenant (or, for clerks, to the notice)."""

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tenants.models import Contract, Tenant

from .models import Notice, NoticePreference, NoticeRead


def _current(queryset: QuerySet, on=None) -> QuerySet:
    on = on or timezone.localdate()
    return queryset.filter(published_at__isnull=False, valid_from__lte=on, valid_until__gte=on)


def notice_queryset(*, tenant: Tenant) -> QuerySet:
    """Current notices for the tenant's current and upcoming units, urgent first, with
    ``is_read``; one query now (the units), one when evaluated (also paginated by the API).
    """
    units = list(
        Contract.objects.not_ended()
        .filter(partners=tenant)
        .values_list("unit__property_id", "unit__street", "unit__property__street")
        .distinct()
    )
    if not units:
        # A former tenant's account sees no notices, not even those for all properties.
        return Notice.objects.none()
    scope = Q(property__isnull=True)
    for property_id, unit_street, property_street in units:
        scope |= Q(property_id=property_id, street__in=["", unit_street or property_street])
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=tenant.user_id)
    return (
        _current(Notice.objects.filter(scope))
        .annotate(is_read=Exists(read))
        .order_by("-urgent", "-valid_from", "-published_at", "-pk")
    )


def notice_list(*, tenant: Tenant, limit: int | None = None) -> list[Notice]:
    """Current notices for the tenant's buildings, urgent first; a constant number of queries."""
    notices = notice_queryset(tenant=tenant)
    if limit is not None:
        notices = notices[:limit]
    return list(notices)


def notice_get(*, tenant: Tenant, notice_id: int) -> Notice:
    """One current notice in the tenant's scope; anything else answers 404."""
    return get_object_or_404(notice_queryset(tenant=tenant), pk=notice_id)


def audience_contracts() -> QuerySet:
    """Current and upcoming contracts of tenants with a portal account, with their building."""
    return (
        Contract.objects.not_ended()
        .filter(partners__user__isnull=False, partners__user__is_active=True)
        .annotate(
            building=Coalesce(NullIf(F("unit__street"), Value("")), F("unit__property__street"))
        )
    )


def notice_audience(*, notice: Notice) -> QuerySet:
    """Tenants with a portal account and a current or upcoming contract in the notice's scope."""
    contracts = audience_contracts()
    if notice.property_id is not None:
        contracts = contracts.filter(unit__property_id=notice.property_id)
        if notice.street:
            contracts = contracts.filter(building=notice.street)
    return (
        Tenant.objects.filter(
            user__isnull=False, user__is_active=True, contracts__in=contracts.values("pk")
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def notice_mail_recipients(*, notice: Notice) -> QuerySet:
    """Urgent: everyone in scope. Otherwise only who chose e-mail for all notices."""
    audience = notice_audience(notice=notice)
    if notice.urgent:
        return audience
    opted_in = NoticePreference.objects.filter(user_id=OuterRef("user_id"), notices_by_email=True)
    return audience.filter(Exists(opted_in))


def notice_admin_queryset(queryset: QuerySet) -> QuerySet:
    """Annotates `read_count` and `audience_count` per notice, inside the list's one query."""
    contracts = audience_contracts().filter(
        # An empty scope matches everything: the outer value falls back to the row's own.
        unit__property_id=Coalesce(OuterRef("property_id"), F("unit__property_id")),
        building=Coalesce(NullIf(OuterRef("street"), Value("")), F("building")),
    )
    audience = (
        contracts.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("partners", distinct=True))
        .values("n")
    )
    reads = (
        NoticeRead.objects.filter(notice=OuterRef("pk"))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        read_count=Coalesce(Subquery(reads, output_field=IntegerField()), 0),
        audience_count=Coalesce(Subquery(audience, output_field=IntegerField()), 0),
    )


def notice_preference_get(*, user) -> bool:
    return NoticePreference.objects.filter(user=user, notices_by_email=True).exists()


def notices_url(name: str, *args) -> str | None:
    """The address of a notices page, or None while the project does not route the area."""
    try:
        return reverse(f"notices:{name}", args=args)
    except NoReverseMatch:
        return None
