from django.db.models import Q, QuerySet

from .models import ClerkResponsibility, ContactPerson, FaqEntry, Property, Team, Tenant, User


def tenant_for_user(*, user: User) -> Tenant | None:
    """The tenant record the logged-in user acts for, or None (clerks, unlinked accounts)."""
    if not user.is_authenticated:
        return None
    return Tenant.objects.filter(user=user).first()


def contact_person_list(*, property_ids: list[int]) -> QuerySet[ContactPerson]:
    """Active contact persons for the given properties plus the company-wide ones."""
    return ContactPerson.objects.filter(
        Q(property_id__in=property_ids) | Q(property__isnull=True), is_active=True
    ).order_by("order", "area", "name")


def responsible_for(*, property: Property, area: str) -> tuple[User | None, Team | None]:
    """The clerk responsible for an area of a property, and the team that covers for them.

    Falls back to the area's default team where no responsibility is set or the clerk has left.
    """
    responsibility = (
        ClerkResponsibility.objects.select_related("clerk", "team")
        .filter(property=property, area=area)
        .first()
    )
    if responsibility is not None:
        clerk = responsibility.clerk
        if clerk is not None and not clerk.is_active:
            clerk = None
        return clerk, responsibility.team
    return None, Team.objects.filter(area=area, is_default=True).first()


def faq_list() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).order_by("order", "pk")
