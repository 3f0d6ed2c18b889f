"""tenants.prepared: a queryset composed once gives, for every value, what the ORM gives – and
asks the database every time, so a change shows at once. What it cannot give exactly is refused
on the first use, not answered wrongly."""

from datetime import date

import pytest
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from contracts.models import RentAccount
from contracts.selectors import _CONTRACT_PAGE_VERSION, contract_page_version
from tenants.models import Contract, Tenant
from tenants.prepared import PreparedQuery

from .factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _contracts_of(tenant_id, number):
    return (
        Contract.objects.filter(partners=tenant_id, contract_number=number)
        .order_by("pk")
        .values_list("pk", "start_date", "grundmiete")
    )


def test_values_come_back_as_the_orm_gives_them_for_every_value(django_assert_num_queries):
    query = PreparedQuery(_contracts_of, int, str)
    first, second = TenantFactory(), TenantFactory()
    ContractFactory(partners=[first], contract_number="1001-W01-01", start_date=date(2020, 4, 1))
    ContractFactory(partners=[second], contract_number="1002-W02-02")

    for tenant, number in [(first, "1001-W01-01"), (second, "1002-W02-02"), (first, "1002-W02-02")]:
        with django_assert_num_queries(1):
            rows = query.rows(tenant.pk, number)
        assert rows == list(_contracts_of(tenant.pk, number))
    assert query.rows(first.pk, "1001-W01-01")[0][1] == date(2020, 4, 1)  # a date, not text


def test_a_change_shows_at_once():
    query = PreparedQuery(_contracts_of, int, str)
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    assert query.rows(tenant.pk, "1001-W01-01")

    contract.partners.clear()

    assert query.rows(tenant.pk, "1001-W01-01") == []


def test_instances_come_with_their_related_objects():
    query = PreparedQuery(lambda pk: Tenant.objects.select_related("user").filter(pk=pk), int)
    tenant = TenantFactory(paperless_consent_at=timezone.now())

    (loaded,) = query.rows(tenant.pk)

    assert loaded == tenant and loaded.paperless_consent_at == tenant.paperless_consent_at
    assert loaded.user.email == tenant.user.email and loaded.user.tenant is loaded


def test_the_contract_page_check_answers_404_for_anyone_elses_contract():
    owner, other = TenantFactory(), TenantFactory()
    contract = ContractFactory(partners=[owner], contract_number="1001-W01-01")
    RentAccount.objects.create(
        contract=contract, balance=0, balance_date=date(2026, 11, 1), imported_at=timezone.now()
    )
    expected = (
        Contract.objects.filter(pk=contract.pk).values_list("pk", "rent_account__imported_at").get()
    )

    assert contract_page_version(tenant=owner, contract_number="1001-W01-01") == expected
    with pytest.raises(Http404):
        contract_page_version(tenant=other, contract_number="1001-W01-01")
    (composed,) = _CONTRACT_PAGE_VERSION._composed.values()
    assert sorted(composed.sources) == [0, 1]  # nothing else in its SQL


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Tenant.objects.filter(pk=pk).annotate(n=Count("contracts")),
        lambda pk: Tenant.objects.filter(pk=pk).prefetch_related("contracts"),
        lambda pk: Tenant.objects.filter(pk=pk).values("pk"),
        lambda pk: (
            Tenant.objects.filter(pk=pk).distinct().order_by("user__email").values_list("pk")
        ),
    ],
    ids=["annotation", "prefetching", "values-dicts", "extra-columns"],
)
def test_what_it_cannot_give_exactly_is_refused(build):
    with pytest.raises(NotImplementedError):
        PreparedQuery(build, int).rows(1)


@pytest.mark.parametrize(
    "build",
    [
        # A value of its own: frozen at the first use (today's date would be, too).
        lambda pk, number: Contract.objects.filter(pk=pk, contract_number=number).filter(
            start_date__lte=date(2026, 1, 1)
        ),
        # A value derived from one passed in.
        lambda pk, number: Contract.objects.filter(
            pk=pk, contract_number__startswith=number[:4], contract_number=number
        ),
        # A value that does not reach the SQL at all.
        lambda pk, number: Contract.objects.filter(pk=pk),
    ],
    ids=["own-value", "derived-value", "unused-value"],
)
def test_sql_with_anything_but_the_values_is_refused(build):
    ContractFactory(contract_number="1001-W01-01")

    with pytest.raises(ValueError):
        PreparedQuery(build, int, str).rows(1, "1001-W01-01")
