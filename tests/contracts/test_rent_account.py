"""Mein Mietkonto: the ERP import, the tenant's page and CSV, and the clerks' admin."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from contracts.models import RentAccount, RentPosting
from contracts.rent_account import rent_account_import_text, rent_account_sentence
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db


def posting(contract, erp_id, amount, *, kind="soll", booking_date=None, text="Miete", **extra):
    booking_date = booking_date or timezone.localdate() - timedelta(days=10)
    if isinstance(booking_date, date):
        booking_date = f"{booking_date:%Y-%m-%d}"
    return json.dumps(
        {
            "type": "posting",
            "contract": contract.contract_number,
            "id": erp_id,
            "booking_date": booking_date,
            "value_date": booking_date,
            "kind": kind,
            "text": text,
            "amount": amount,
            **extra,
        }
    )


def balance(contract, amount, *, on="2026-11-20", open_since="2026-11-03"):
    return json.dumps(
        {
            "type": "balance",
            "contract": contract.contract_number,
            "date": on,
            "balance": amount,
            "open_since": open_since,
        }
    )


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


@pytest.fixture
def owner_and_contract():
    owner = TenantFactory()
    return owner, ContractFactory(partners=[owner])


@pytest.fixture
def imported(owner_and_contract):
    owner, contract = owner_and_contract
    rent_account_import_text(
        text=lines(
            balance(contract, "83.50"),
            posting(contract, "B-1", "860.00", text="Miete November"),
            posting(contract, "B-2", "-776.50", kind="zahlung", text="Zahlung Dauerauftrag"),
            posting(contract, "B-3", "5.00", kind="gebuehr", text="Mahngebühr"),
        )
    )
    return owner, contract


# Import.


def test_import_creates_postings_and_balance(owner_and_contract):
    _, contract = owner_and_contract

    report = rent_account_import_text(
        text=lines(
            balance(contract, "83.50"),
            posting(contract, "B-1", "860.00"),
            posting(contract, "B-2", -776.5, kind="Zahlung"),
        )
    )

    assert (report.postings_created, report.balances, report.rejected_total) == (2, 1, 0)
    account = RentAccount.objects.get(contract=contract)
    assert account.balance == Decimal("83.50")
    assert (account.balance_date, account.open_since) == (date(2026, 11, 20), date(2026, 11, 3))
    payment = RentPosting.objects.get(contract=contract, erp_id="B-2")
    assert (payment.kind, payment.amount) == (RentPosting.Kind.PAYMENT, Decimal("-776.50"))


def test_reimport_of_the_same_file_changes_nothing(owner_and_contract):
    _, contract = owner_and_contract
    text = lines(balance(contract, "83.50"), posting(contract, "B-1", "860.00"))
    rent_account_import_text(text=text)
    before = list(RentPosting.objects.values_list("pk", "amount", "imported_at"))

    report = rent_account_import_text(text=text)

    assert (report.postings_created, report.postings_updated) == (0, 0)
    assert report.postings_unchanged == 1
    assert list(RentPosting.objects.values_list("pk", "amount", "imported_at")) == before
    assert RentAccount.objects.count() == 1


def test_reimport_with_a_corrected_posting_updates_it_in_place(owner_and_contract):
    _, contract = owner_and_contract
    rent_account_import_text(text=lines(posting(contract, "B-1", "860.00")))

    report = rent_account_import_text(text=lines(posting(contract, "B-1", "870.00")))

    assert report.postings_updated == 1
    assert RentPosting.objects.get().amount == Decimal("870.00")


def test_import_refuses_bad_rows_with_reasons_and_keeps_the_good_ones(owner_and_contract):
    _, contract = owner_and_contract
    stranger = ContractFactory.build(contract_number="GIBT-ES-NICHT")

    report = rent_account_import_text(
        text=lines(
            posting(contract, "B-1", "860.00"),
            posting(stranger, "B-2", "1.00"),
            posting(contract, "B-3", "12,50"),
            posting(contract, "B-4", "1.005"),
            posting(contract, "B-5", "1.00", booking_date="2026-02-30"),
            posting(contract, "B-1", "860.00"),
            posting(contract, "B-6", "1.00", kind="storno?"),
            "kein json",
            json.dumps({"type": "posting", "contract": contract.contract_number}),
            balance(contract, "abc"),
        )
    )

    assert dict(report.rejected) == {
        "unknown_contract": 1,
        "bad_amount": 3,
        "bad_date": 1,
        "duplicate": 1,
        "bad_kind": 1,
        "format": 2,
    }
    assert list(RentPosting.objects.values_list("erp_id", flat=True)) == ["B-1"]
    assert any("line 2: unknown contract" in example for example in report.examples)
    assert not RentAccount.objects.exists()


def test_import_keeps_a_newer_balance_against_an_older_file(owner_and_contract):
    _, contract = owner_and_contract
    rent_account_import_text(text=lines(balance(contract, "0.00", on="2026-11-20")))

    report = rent_account_import_text(text=lines(balance(contract, "83.50", on="2026-10-31")))

    assert report.rejected == {"stale_balance": 1}
    assert RentAccount.objects.get().balance == Decimal("0.00")


def test_import_command_prints_the_report(tmp_path, owner_and_contract):
    _, contract = owner_and_contract
    path = tmp_path / "mietkonto.jsonl"
    path.write_text(lines(balance(contract, "0"), posting(contract, "B-1", "x")), "utf-8")
    out = io.StringIO()

    call_command("import_rent_account", str(path), stdout=out)

    assert "1 balances; 1 refused" in out.getvalue()
    assert "amount is not a number" in out.getvalue()


# The plain sentence.


@pytest.mark.parametrize(
    ("amount", "open_since", "expected"),
    [
        ("0.00", None, "Ihr Mietkonto ist ausgeglichen."),
        ("83.50", date(2026, 11, 3), "Offen: 83,50 € seit 03.11.2026."),
        ("1234.50", None, "Offen: 1.234,50 €."),
        ("-12.00", None, "Guthaben: 12,00 €."),
    ],
)
def test_sentence_for_balanced_open_and_credit(amount, open_since, expected):
    account = RentAccount(balance=Decimal(amount), open_since=open_since)
    with translation.override("de"):
        assert rent_account_sentence(account) == expected


def test_credit_balance_drops_the_open_since_date(owner_and_contract):
    _, contract = owner_and_contract
    rent_account_import_text(text=lines(balance(contract, "-12.00", open_since="2026-11-03")))

    assert RentAccount.objects.get().open_since is None


# The tenant's page.


def page_urls(contract):
    return [
        reverse("contracts:rent_account", args=[contract.contract_number]),
        reverse("contracts:rent_account_csv", args=[contract.contract_number]),
    ]


def test_access_anonymous_is_sent_to_login(client, imported):
    _, contract = imported
    for url in page_urls(contract):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


def test_access_owner_sees_balance_sentence_and_postings(client, imported):
    owner, contract = imported
    client.force_login(owner.user)

    response = client.get(page_urls(contract)[0])

    assert response.status_code == 200
    html = response.content.decode()
    assert "Offen: 83,50 € seit 03.11.2026." in html
    assert "Kontostand am 20.11.2026" in html
    assert "860,00 €" in html and "776,50 €" in html and "Mahngebühr" in html
    assert "<caption" in html and 'scope="col"' in html
    assert "Soll (von Ihnen zu zahlen)" in html and "Haben (zu Ihren Gunsten)" in html


def test_access_contract_partner_sees_it_too(client, imported):
    _, contract = imported
    partner = TenantFactory()
    contract.partners.add(partner)
    client.force_login(partner.user)

    for url in page_urls(contract):
        assert client.get(url).status_code == 200, url


def test_access_other_tenant_gets_404(client, imported):
    _, contract = imported
    other = TenantFactory()
    ContractFactory(partners=[other])
    client.force_login(other.user)

    for url in page_urls(contract):
        assert client.get(url).status_code == 404, url


def test_postings_older_than_24_months_are_not_shown(client, owner_and_contract):
    owner, contract = owner_and_contract
    old = timezone.localdate() - timedelta(days=2 * 366 + 31)
    rent_account_import_text(
        text=lines(
            posting(contract, "ALT", "1.00", booking_date=old, text="Sehr alte Buchung"),
            posting(contract, "NEU", "2.00", text="Neue Buchung"),
        )
    )
    client.force_login(owner.user)

    html = client.get(page_urls(contract)[0]).content.decode()

    assert "Neue Buchung" in html and "Sehr alte Buchung" not in html
    assert RentPosting.objects.filter(erp_id="ALT").exists()  # kept, only not shown


def test_postings_are_shown_newest_first(client, owner_and_contract):
    owner, contract = owner_and_contract
    today = timezone.localdate()
    rent_account_import_text(
        text=lines(
            posting(contract, "A", "1.00", booking_date=today - timedelta(days=40), text="Ältere"),
            posting(contract, "B", "2.00", booking_date=today - timedelta(days=5), text="Neuere"),
        )
    )
    client.force_login(owner.user)

    html = client.get(page_urls(contract)[0]).content.decode()

    assert html.index("Neuere") < html.index("Ältere")


def test_empty_state_before_the_first_import(client, owner_and_contract):
    owner, contract = owner_and_contract
    client.force_login(owner.user)

    html = client.get(page_urls(contract)[0]).content.decode()

    assert "Ihr Mietkonto wird hier angezeigt, sobald" in html


def test_contract_pages_link_to_the_rent_account_and_show_the_sentence(client, imported):
    owner, contract = imported
    client.force_login(owner.user)
    url = page_urls(contract)[0]

    detail = client.get(reverse("contracts:detail", args=[contract.contract_number]))
    index = client.get(reverse("contracts:index"))

    assert url in detail.content.decode() and "Offen: 83,50 €" in detail.content.decode()
    assert url in index.content.decode()


def test_csv_download_has_bom_german_amounts_and_the_contract_in_its_name(client, imported):
    owner, contract = imported
    client.force_login(owner.user)

    response = client.get(page_urls(contract)[1])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="mietkonto-{contract.contract_number}.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = content.lstrip("\ufeff").splitlines()
    assert (
        rows[0] == "Buchungsdatum;Wertstellung;Art;Buchungstext;Soll (von Ihnen zu zahlen);"
        "Haben (zu Ihren Gunsten)"
    )
    assert any(row.endswith("Zahlung;Zahlung Dauerauftrag;;776,50") for row in rows)
    assert any(row.endswith("Sollstellung Miete;Miete November;860,00;") for row in rows)
    assert "Offen: 83,50 € seit 03.11.2026." in content


def test_csv_download_neutralises_formulas(client, owner_and_contract):
    owner, contract = owner_and_contract
    rent_account_import_text(
        text=lines(posting(contract, "X", "1.00", text='=HYPERLINK("http://x","y")'))
    )
    client.force_login(owner.user)

    content = client.get(page_urls(contract)[1]).content.decode("utf-8")

    assert ";'=HYPERLINK(" in content.replace('"', "")
    assert ";=HYPERLINK" not in content.replace('"', "")


def test_rent_account_query_count_does_not_grow_with_postings(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        contract = ContractFactory(partners=[tenant, TenantFactory(user=None)])
        rent_account_import_text(
            text=lines(
                balance(contract, "10.00"),
                *(posting(contract, f"B-{i}", "1.00") for i in range(n)),
            )
        )
        return tenant, contract

    counts = []
    for n in (1, 30):
        tenant, contract = tenant_with(n)
        client.force_login(tenant.user)
        page, csv = page_urls(contract)
        counts.append(
            (
                count_queries(lambda url=page: client.get(url)),
                count_queries(lambda url=csv: client.get(url)),
            )
        )

    assert counts[0] == counts[1]


# The clerks' admin.


def clerk_client(client, group_name):
    call_command("sync_clerk_groups", verbosity=0)
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name=group_name))
    client.force_login(clerk)
    return client


@pytest.mark.parametrize(
    ("group_name", "status"),
    [("Mietenbuchhaltung", 200), ("Kundenservice", 403), ("Technik", 403)],
)
def test_admin_rent_account_only_for_accounting(client, imported, group_name, status):
    _, contract = imported
    account = RentAccount.objects.get(contract=contract)
    clerk_client(client, group_name)

    changelist = client.get(reverse("admin:contracts_rentaccount_changelist"))
    change = client.get(reverse("admin:contracts_rentaccount_change", args=[account.pk]))

    assert (changelist.status_code, change.status_code) == (status, status)
    if status == 200:
        html = change.content.decode()
        assert "Mahngebühr" in html and "Offen: 83,50 € seit 03.11.2026." in html
        assert not change.context["has_change_permission"]


def test_admin_rent_account_is_read_only_for_accounting(client, imported):
    _, contract = imported
    account = RentAccount.objects.get(contract=contract)
    clerk_client(client, "Mietenbuchhaltung")

    response = client.post(
        reverse("admin:contracts_rentaccount_change", args=[account.pk]), {"balance": "0"}
    )

    assert response.status_code == 403
    assert RentAccount.objects.get().balance == Decimal("83.50")
