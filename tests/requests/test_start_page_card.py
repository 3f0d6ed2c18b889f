"""The start page's "Your requests" card and quick actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests.models import Category, ContactRequest, Message
from tenants.models import Area
from tests.tenants.factories import ContactPersonFactory, ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


def open_request(tenant, subject, status=ContactRequest.Status.IN_PROGRESS, answers=()):
    number = ContactRequest.objects.count() + 1
    request = ContactRequest.objects.create(
        reference=f"A-2026-{number:06d}",
        tenant=tenant,
        category=Category.objects.get(name="Heizung"),
        subject=subject,
        status=status,
    )
    start = timezone.now() - timedelta(days=10)
    for i, (body, from_tenant, internal) in enumerate(answers):
        Message.objects.create(
            request=request,
            body=body,
            from_tenant=from_tenant,
            internal=internal,
            created_at=start + timedelta(days=i),
        )
    return request


def card(html):
    start = html.index('id="card-requests"')
    return html[start : html.index("</section>", start)]


def test_card_shows_open_requests_with_status_and_latest_answer(client):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant])
    open_request(
        tenant,
        "Heizung kalt",
        answers=[
            ("Wir schauen uns das an.", False, False),
            ("Danke, wann kommen Sie?", True, False),
            ("Der Monteur kommt am Dienstag.", False, False),
            ("Intern: Firma Kalt beauftragt", False, True),
        ],
    )
    open_request(tenant, "Fenster klemmt", status=ContactRequest.Status.RECEIVED)
    open_request(tenant, "Erledigt", status=ContactRequest.Status.DONE)
    client.force_login(tenant.user)

    html = card(client.get(reverse("tenants:home")).content.decode())

    assert "Heizung kalt" in html and "In Bearbeitung" in html
    assert "Der Monteur kommt am Dienstag." in html  # the latest answer to the tenant
    assert "Wir schauen uns das an." not in html
    assert "Intern" not in html  # internal notes never
    assert "Danke, wann kommen Sie?" not in html  # the tenant's own message is no answer
    assert "Fenster klemmt" in html and "Eingegangen" in html
    assert "Erledigt" not in html  # done requests are no longer open
    assert "2 offen" in html


def test_card_never_shows_another_tenants_requests(client):
    tenant, other = TenantFactory(), TenantFactory()
    open_request(other, "Fremdes Anliegen", answers=[("Fremde Antwort", False, False)])
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "Fremdes Anliegen" not in html and "Fremde Antwort" not in html
    assert "Keine offenen Anliegen" in card(html)


def test_quick_actions_lead_to_damage_document_bank_and_address(client):
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    client.force_login(tenant.user)

    response = client.get(reverse("tenants:home"))

    actions = {action["key"]: action["url"] for action in response.context["actions"]}
    assert list(actions) == ["damage", "document", "bank", "address"]
    assert actions["damage"] == reverse("requests:choose")  # several damage categories
    document = Category.objects.get(form=Category.Form.DOCUMENT)
    assert actions["document"] == reverse("requests:create", args=[document.pk])
    address = Category.objects.get(form=Category.Form.ADDRESS)
    assert actions["address"] == reverse("requests:create", args=[address.pk])
    assert actions["bank"] == reverse("contracts:bank_change", args=[contract.contract_number])
    html = response.content.decode()
    labels = ("Schaden melden", "Dokument anfordern", "Bankverbindung ändern", "Adresse ändern")
    assert all(label in html for label in labels)


def test_bank_change_action_opens_the_contract_list_when_there_are_several(client):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant])
    ContractFactory(partners=[tenant])
    client.force_login(tenant.user)

    actions = client.get(reverse("tenants:home")).context["actions"]

    assert {a["key"]: a["url"] for a in actions}["bank"] == reverse("contracts:index")


def test_contact_role_is_not_repeated_when_it_is_the_teams_name(client):
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    ContactPersonFactory(
        property=contract.unit.property, role="Mietenbuchhaltung", area=Area.ACCOUNTING
    )
    ContactPersonFactory(
        property=contract.unit.property, role="Kundenbetreuerin", area=Area.CUSTOMER_SERVICE
    )
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "Mietenbuchhaltung · Mietenbuchhaltung" not in html
    assert "Mietenbuchhaltung" in html
    assert "Kundenbetreuerin · Kundenservice" in html


def test_start_page_queries_do_not_grow_with_requests_and_answers(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        ContractFactory(partners=[tenant])
        for i in range(n):
            open_request(
                tenant, f"Anliegen {i}", answers=[("Antwort", False, False), ("Mehr", False, False)]
            )
        return tenant

    counts = []
    for tenant in (tenant_with(1), tenant_with(15)):
        client.force_login(tenant.user)
        counts.append(count_queries(lambda: client.get(reverse("tenants:home"))))

    assert counts[0] == counts[1]
