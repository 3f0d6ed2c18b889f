from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from tenants.models import Contract, Tenant, Unit
from tenants.selectors import unit_tenancies

from .models import Attachment, Category, ContactRequest, Message

# A tenant reports about units of their current contracts and of one that starts soon.
_OFFERED = (Contract.Phase.CURRENT, Contract.Phase.UPCOMING)


def _latest_answer() -> QuerySet[Message]:
    """The clerks' answers the tenant sees (never internal notes), latest first, per request."""
    return Message.objects.filter(
        request=OuterRef("pk"), from_tenant=False, internal=False
    ).order_by("-created_at", "-pk")


def request_list(*, tenant: Tenant, latest_answer: bool = False) -> QuerySet[ContactRequest]:
    """The tenant's own requests, newest first (constant queries: one, annotated).

    With `latest_answer`, each request also carries `latest_answer` and `latest_answer_at`
    (None before the first answer), still in the one query.
    """
    requests = (
        ContactRequest.objects.filter(tenant=tenant)
        .select_related("category")
        .annotate(
            answers=Count(
                "messages", filter=Q(messages__from_tenant=False, messages__internal=False)
            )
        )
        .order_by("-created_at")
    )
    if latest_answer:
        answers = _latest_answer()
        requests = requests.annotate(
            latest_answer=Subquery(answers.values("body")[:1]),
            latest_answer_at=Subquery(answers.values("created_at")[:1]),
        )
    return requests


def request_get(*, tenant: Tenant, reference: str) -> ContactRequest:
    """One of the tenant's requests with what the tenant may see; anyone else's is 404.

    Internal notes are filtered out here, so no template can show them by mistake.
    """
    visible = Message.objects.filter(internal=False).select_related("author")
    return get_object_or_404(
        ContactRequest.objects.filter(tenant=tenant)
        .select_related("category", "unit__property")
        .prefetch_related(
            Prefetch("messages", queryset=visible, to_attr="visible_messages"),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    Q(message__isnull=True) | Q(message__internal=False)
                ),
                to_attr="visible_attachments",
            ),
            "status_changes",
        ),
        reference=reference,
    )


def attachment_get(*, tenant: Tenant, reference: str, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(Q(message__isnull=True) | Q(message__internal=False)),
        pk=pk,
        request__reference=reference,
        request__tenant=tenant,
    )


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "name")


def category_groups() -> list[tuple[str, list[Category]]]:
    """The active categories as the page "neu" lists them (one query): by group, each group
    where its first category comes in the order, the categories in their order inside it."""
    groups: dict[str, list[Category]] = {}
    for category in category_list():
        groups.setdefault(category.group, []).append(category)
    return list(groups.items())


def request_unit_choices(*, tenant: Tenant) -> list[tuple[Unit, str]]:
    """(unit, label) a request may be about: the units of the tenant's current contracts and
    of one that starts soon (none after the tenancy: then the request is about no unit)."""
    return [(t.unit, t.label) for t in unit_tenancies(tenant=tenant, phases=_OFFERED)]


def request_open_list(*, tenant: Tenant, limit: int) -> list[ContactRequest]:
    """The tenant's open requests, latest activity first, each with its latest visible answer.

    Each request carries `latest_answer` and `latest_answer_at` (None before the first answer);
    one query however many requests and messages there are.
    """
    answers = _latest_answer()
    return list(
        ContactRequest.objects.filter(tenant=tenant)
        .exclude(status=ContactRequest.Status.DONE)
        .annotate(
            latest_answer=Subquery(answers.values("body")[:1]),
            latest_answer_at=Subquery(answers.values("created_at")[:1]),
        )
        .order_by("-updated_at", "-pk")[:limit]
    )


def request_open_count(*, tenant: Tenant) -> int:
    return (
        ContactRequest.objects.filter(tenant=tenant)
        .exclude(status=ContactRequest.Status.DONE)
        .count()
    )


def category_quick_actions() -> dict[str, Category | None]:
    """The category each quick action on the start page opens, by form (one query).

    A form with exactly one active category opens that category's form directly; several
    (the damage categories) or none open the category choice (None).
    """
    by_form: dict[str, list[Category]] = {}
    forms = (Category.Form.DAMAGE, Category.Form.DOCUMENT, Category.Form.ADDRESS)
    for category in category_list().filter(form__in=forms):
        by_form.setdefault(category.form, []).append(category)
    return {form: (by_form[form][0] if len(by_form.get(form, [])) == 1 else None) for form in forms}
