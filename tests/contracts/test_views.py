import pytest
from django.urls import reverse

from tests.tenants.factories import ContactPersonFactory, ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_and_contract():
    owner = TenantFactory()
    return owner, ContractFactory(partners=[owner])


def urls(contract):
    return [
        reverse("contracts:index"),
        reverse("contracts:detail", args=[contract.contract_number]),
    ]


def test_access_anonymous_is_sent_to_login(client, owner_and_contract):
    _, contract = owner_and_contract
    for url in urls(contract):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


def test_access_owner_sees_the_contract(client, owner_and_contract):
    owner, contract = owner_and_contract
    client.force_login(owner.user)
    for url in urls(contract):
        response = client.get(url)
        assert response.status_code == 200, url
        assert contract.contract_number in response.content.decode()


def test_access_other_tenant_gets_404_for_the_contract(client, owner_and_contract):
    _, contract = owner_and_contract
    other = TenantFactory()
    client.force_login(other.user)

    assert client.get(urls(contract)[1]).status_code == 404
    index = client.get(urls(contract)[0]).content.decode()
    assert contract.contract_number not in index


def test_contract_partners_both_see_the_contract(client):
    first, second = TenantFactory(), TenantFactory()
    contract = ContractFactory(partners=[first, second])
    for tenant in (first, second):
        client.force_login(tenant.user)
        response = client.get(reverse("contracts:detail", args=[contract.contract_number]))
        assert response.status_code == 200
        html = response.content.decode()
        assert first.last_name in html and second.last_name in html


def test_detail_shows_rent_breakdown_and_total(client, owner_and_contract):
    owner, contract = owner_and_contract
    client.force_login(owner.user)

    html = client.get(reverse("contracts:detail", args=[contract.contract_number])).content.decode()

    # 612,40 + 155,00 + 92,60 = 860,00 (German number format)
    for amount in ("612,40", "155,00", "92,60", "860,00"):
        assert amount in html


def test_detail_shows_contact_persons_of_the_property(client, owner_and_contract):
    owner, contract = owner_and_contract
    ContactPersonFactory(property=contract.unit.property, name="Tina Technau")
    ContactPersonFactory(property=None, name="Zentrale Hotline")
    ContactPersonFactory(name="Andere Anlage")
    client.force_login(owner.user)

    html = client.get(reverse("contracts:detail", args=[contract.contract_number])).content.decode()

    assert "Tina Technau" in html
    assert "Zentrale Hotline" in html
    assert "Andere Anlage" not in html


def test_contract_pages_query_count_is_constant(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        contracts = [
            ContractFactory(partners=[tenant, TenantFactory(user=None), TenantFactory(user=None)])
            for _ in range(n)
        ]
        for contract in contracts:
            ContactPersonFactory.create_batch(3, property=contract.unit.property)
        return tenant, contracts[0]

    counts = []
    for n in (1, 10):
        tenant, contract = tenant_with(n)
        client.force_login(tenant.user)
        detail = reverse("contracts:detail", args=[contract.contract_number])
        counts.append(
            (
                count_queries(lambda: client.get(reverse("contracts:index"))),
                count_queries(lambda url=detail: client.get(url)),
            )
        )

    assert counts[0] == counts[1]
