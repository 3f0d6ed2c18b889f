"""tenants.prepared: a queryset composed once gives, for every value, what the ORM gives – and
asks the database every time, so a change shows at once."""

from datetime import date

import pytest
from django.db.models import Count
from django.utils import timezone

from contracts.selectors import contract_page_version
from tenants.models import Contract, Tenant
from tenants.prepared import STAND_IN_ID, STAND_IN_TEXT, PreparedQuery

from .factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _contracts_of(tenant_id, number):
    return (
        Contract.objects.filter(partners=tenant_id, contract_number=number)
        .order_by("pk")
        .values_list("pk", "start_date", "grundmiete")
    )


def test_values_come_back_as_the_orm_gives_them_for_every_value(django_assert_num_queries):
    query = PreparedQuery(_contracts_of, STAND_IN_ID, STAND_IN_TEXT)
    first, second = TenantFactory(), TenantFactory()
    ContractFactory(partners=[first], contract_number="1001-W01-01", start_date=date(2020, 4, 1))
    ContractFactory(partners=[second], contract_number="1002-W02-02")

    for tenant, number in [(first, "1001-W01-01"), (second, "1002-W02-02"), (first, "1002-W02-02")]:
        with django_assert_num_queries(1):
            rows = query.rows(tenant.pk, number)
        assert rows == list(_contracts_of(tenant.pk, number))
    assert query.rows(first.pk, "1001-W01-01")[0][1] == date(2020, 4, 1)  # a date, not text


def test_a_change_shows_at_once():
    query = PreparedQuery(_contracts_of, STAND_IN_ID, STAND_IN_TEXT)
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    assert query.rows(tenant.pk, "1001-W01-01")

    contract.partners.clear()

    assert query.rows(tenant.pk, "1001-W01-01") == []


def test_instances_come_with_their_related_objects_and_fixed_values_stay():
    query = PreparedQuery(
        lambda tenant_id: Tenant.objects.select_related("user").filter(
            pk=tenant_id, user__is_active=True
        ),
        STAND_IN_ID,
    )
    tenant = TenantFactory(paperless_consent_at=timezone.now())
    inactive = TenantFactory()
    type(inactive.user).objects.filter(pk=inactive.user_id).update(is_active=False)

    (loaded,) = query.rows(tenant.pk)

    assert loaded == tenant and loaded.paperless_consent_at == tenant.paperless_consent_at
    assert loaded.user.email == tenant.user.email and loaded.user.tenant is loaded
    assert query.rows(inactive.pk) == []  # the fixed True of is_active is kept


def test_the_contract_page_answers_404_for_anyone_elses_contract():
    from django.http import Http404

    owner, other = TenantFactory(), TenantFactory()
    contract = ContractFactory(partners=[owner], contract_number="1001-W01-01")

    assert contract_page_version(tenant=owner, contract_number="1001-W01-01")[0] == contract.pk
    with pytest.raises(Http404):
        contract_page_version(tenant=other, contract_number="1001-W01-01")


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Tenant.objects.filter(pk=pk).annotate(n=Count("contracts")),
        lambda pk: Tenant.objects.filter(pk=pk).prefetch_related("contracts"),
        lambda pk: Tenant.objects.filter(pk=pk).values("pk"),
    ],
    ids=["annotation", "prefetching", "values-dicts"],
)
def test_what_it_cannot_prepare_is_refused(build):
    with pytest.raises(NotImplementedError):
        PreparedQuery(build, STAND_IN_ID).rows(1)


def test_a_stand_in_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(lambda pk, unused: Tenant.objects.filter(pk=pk), STAND_IN_ID, "x")

    with pytest.raises(ValueError, match="stand-ins not found"):
        query.rows(1, "y")
