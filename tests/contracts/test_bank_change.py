import csv
from datetime import date
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from contracts.banking import iban_check
from contracts.models import BankChangeRequest, Mandate
from contracts.selectors import contract_get
from contracts.services import bank_change_approve, bank_change_reject, bank_change_submit
from tenants.models import Area, AuditEntry, ClerkResponsibility
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TeamFactory, TenantFactory

pytestmark = pytest.mark.django_db

NEW_IBAN = "DE02100100100006820101"
OLD_IBAN = "DE89370400440532013000"


@pytest.fixture
def setup():
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    checked = iban_check(OLD_IBAN)
    Mandate.objects.create(
        contract=contract,
        reference="1001-W01-01-M01",
        signed_on=date(2020, 1, 1),
        valid_from=date(2020, 1, 1),
        holder_name="Maria Müller",
        iban=checked.iban,
        iban_last4=checked.iban[-4:],
        bic=checked.bic,
        bank_name=checked.bank_name,
    )
    clerk = StaffFactory(email="buchhaltung@thor.example")
    ClerkResponsibility.objects.create(
        property=contract.unit.property,
        area=Area.ACCOUNTING,
        clerk=clerk,
        team=TeamFactory(area=Area.ACCOUNTING, name="Team Buchhaltung"),
    )
    return tenant, contract, clerk


def open_request(tenant, contract):
    return bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )


def url(contract, name="contracts:bank_change", *args):
    return reverse(name, args=[contract.contract_number, *args])


def submit(client, contract, **extra):
    data = {"iban": "de02 1001 0010 0006 8201 01", "holder_name": "Maria Müller", "consent": "on"}
    data.update(extra)
    return client.post(url(contract), {**data, "submit": ""})


def all_visible_text():
    return " ".join(m.body + "".join(a[0] for a in m.alternatives) for m in mail.outbox)


def shown_mandate(tenant, contract, on=None):
    """The mandate the tenant's contract pages show as current on a day (default: today)."""
    with mock.patch("django.utils.timezone.localdate", return_value=on or timezone.localdate()):
        shown = contract_get(tenant=tenant, contract_number=contract.contract_number)
    return shown.current_mandates[0] if shown.current_mandates else None


def test_contract_page_shows_masked_bank_details_and_mandate(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    html = client.get(reverse("contracts:detail", args=[contract.contract_number])).content.decode()

    assert "•••• 3000" in html
    assert OLD_IBAN not in html and "3704 0044" not in html
    assert "Commerzbank" in html and "COBADEFFXXX" in html
    assert "1001-W01-01-M01" in html


def test_check_button_shows_the_bank_before_submitting(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    response = client.post(
        url(contract), {"iban": "DE02 1001 0010 0006 8201 01", "holder_name": "M", "check": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Postbank" in html and "PBNKDEFFXXX" in html
    assert not BankChangeRequest.objects.exists()
    assert "DE98ZZZ09999999999" in html  # creditor identifier in the mandate text
    assert "1001-W01-01-M02" in html  # the new mandate reference


def test_submit_creates_request_with_effective_month_and_due_date(
    client, setup, django_capture_on_commit_callbacks
):
    tenant, contract, clerk = setup
    client.force_login(tenant.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, contract)

    change = BankChangeRequest.objects.get()
    assert response.url == url(contract, "contracts:bank_change_detail", change.pk)
    assert change.status == BankChangeRequest.Status.OPEN
    assert change.iban == NEW_IBAN
    assert change.submitted_by == tenant
    assert change.ip_address == "127.0.0.1"
    page = client.get(response.url).content.decode()
    with translation.override("de"):
        assert date_format(change.effective_month, "F Y") in page
    assert change.due_date.strftime("%d.%m.%Y") in page
    assert NEW_IBAN not in page and "•••• 0101" in page
    # Tenant confirmation and clerk notice, both without the full IBAN.
    assert {m.to[0] for m in mail.outbox} == {tenant.user.email, clerk.email}
    assert NEW_IBAN not in all_visible_text() and "1001 0010" not in all_visible_text()
    assert "•••• 0101" in mail.outbox[0].body
    change.refresh_from_db()
    assert change.assigned_to == clerk and change.routed_at is not None


def test_routing_twice_assigns_and_notifies_once(client, setup, django_capture_on_commit_callbacks):
    from contracts.services import bank_change_assignment
    from tenants.assignment import assignment_route

    tenant, contract, _ = setup
    client.force_login(tenant.user)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, contract)
    before = len(mail.outbox)

    assignment_route(rules=bank_change_assignment, item_id=BankChangeRequest.objects.get().pk)

    assert len(mail.outbox) == before


def test_other_account_holder_needs_an_address(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    response = submit(client, contract, holder_name="Hans Vermieter", holder_is_other="on")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Straße und Hausnummer des Kontoinhabers" in html
    assert 'value="Hans Vermieter"' in html
    # The IBAN was valid: shown back as checked, upper case in groups of four.
    assert 'value="DE02 1001 0010 0006 8201 01"' in html
    assert not BankChangeRequest.objects.exists()

    response = submit(
        client,
        contract,
        holder_name="Hans Vermieter",
        holder_is_other="on",
        holder_street="Hafenstraße 5",
        holder_postal_code="20459",
        holder_city="Hamburg",
        holder_country="DE",
    )
    change = BankChangeRequest.objects.get()
    assert not change.holder_is_tenant
    assert change.holder_address == "Hafenstraße 5, 20459 Hamburg"


def test_invalid_iban_keeps_the_input_and_explains(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    response = submit(client, contract, iban="DE02 1001 0010 0006 8201 02")

    html = response.content.decode()
    assert "Tippfehler" in html
    assert 'value="DE02 1001 0010 0006 8201 02"' in html


def test_consent_is_required(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    response = submit(client, contract, consent="")

    assert "SEPA-Mandat" in response.content.decode()
    assert not BankChangeRequest.objects.exists()


def test_new_request_replaces_the_open_one(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    submit(client, contract)
    first = BankChangeRequest.objects.get()

    page = client.get(url(contract)).content.decode()
    assert "ersetzt" in page  # the form says a new request replaces the open one
    submit(client, contract, iban="DE12500105170648489890")

    first.refresh_from_db()
    second = BankChangeRequest.objects.exclude(pk=first.pk).get()
    assert first.status == BankChangeRequest.Status.REPLACED and first.replaced_by == second
    assert second.status == BankChangeRequest.Status.OPEN
    assert second.mandate_reference != first.mandate_reference


def test_tenant_can_withdraw_until_processed(client, setup):
    tenant, contract, clerk = setup
    client.force_login(tenant.user)
    submit(client, contract)
    change = BankChangeRequest.objects.get()

    client.post(url(contract, "contracts:bank_change_withdraw", change.pk))
    change.refresh_from_db()
    assert change.status == BankChangeRequest.Status.WITHDRAWN

    submit(client, contract)
    second = BankChangeRequest.objects.get(status="open")
    bank_change_approve(bank_change=second, clerk=clerk)
    response = client.post(url(contract, "contracts:bank_change_withdraw", second.pk), follow=True)
    assert "nicht mehr zurückgezogen" in response.content.decode()
    second.refresh_from_db()
    assert second.status == BankChangeRequest.Status.APPROVED


def test_approval_makes_the_new_mandate_current_from_the_effective_month(
    client, setup, django_capture_on_commit_callbacks
):
    tenant, contract, clerk = setup
    change = open_request(tenant, contract)
    with django_capture_on_commit_callbacks(execute=True):
        mandate = bank_change_approve(bank_change=change, clerk=clerk)

    start = change.effective_month
    old = Mandate.objects.get(reference="1001-W01-01-M01")
    assert old.valid_until == date.fromordinal(start.toordinal() - 1)
    assert mandate.valid_from == start and mandate.iban == NEW_IBAN
    assert shown_mandate(tenant, contract, on=start) == mandate
    assert shown_mandate(tenant, contract, on=old.valid_until) == old
    assert "•••• 0101" in mail.outbox[-1].body and NEW_IBAN not in mail.outbox[-1].body
    assert list(
        AuditEntry.objects.filter(
            object_type="contracts.BankChangeRequest", object_id=str(change.pk)
        ).values_list("action", flat=True)
    ) == ["bank_change.approved", "bank_change.submitted"]


def test_rejection_needs_a_reason_and_tells_the_tenant(setup, django_capture_on_commit_callbacks):
    from contracts.services import BankChangeError

    tenant, contract, clerk = setup
    change = open_request(tenant, contract)
    with pytest.raises(BankChangeError):
        bank_change_reject(bank_change=change, clerk=clerk, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        bank_change_reject(
            bank_change=change, clerk=clerk, reason="Konto gehört nicht zum Vertrag."
        )

    change.refresh_from_db()
    assert change.status == BankChangeRequest.Status.REJECTED
    assert "Konto gehört nicht zum Vertrag." in mail.outbox[-1].body
    assert shown_mandate(tenant, contract).reference == "1001-W01-01-M01"


def test_audit_trail_records_who_what_and_ip(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    submit(client, contract)

    entry = AuditEntry.objects.get(action="bank_change.submitted")
    assert entry.actor == tenant.user and entry.tenant == tenant
    assert entry.ip_address == "127.0.0.1"
    assert entry.changes["iban"].endswith("0101") and NEW_IBAN not in str(entry.changes)


def test_iban_is_encrypted_at_rest(setup):
    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM contracts_bankchangerequest WHERE id = %s", [change.pk])
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT iban FROM contracts_mandate")
        mandates = [row[0] for row in cursor.fetchall()]
    assert NEW_IBAN not in stored and stored.startswith("gAAAAA")
    assert all(OLD_IBAN not in value for value in mandates)


def test_key_rotation_keeps_ibans_readable(setup, settings):
    from cryptography.fernet import Fernet

    from tenants.crypto import _fernet

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    tenant, contract, _ = setup
    open_request(tenant, contract)
    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _fernet.cache_clear()

    assert Mandate.objects.get().iban == OLD_IBAN
    assert BankChangeRequest.objects.get().iban == NEW_IBAN


@pytest.fixture
def staff_client(client):
    def login(group):
        clerk_groups_sync()
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return user

    return login


def test_full_iban_only_for_accounting(client, setup, staff_client):
    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    change_url = reverse("admin:contracts_bankchangerequest_change", args=[change.pk])
    list_url = reverse("admin:contracts_bankchangerequest_changelist")

    staff_client("Kundenservice")
    for page in (client.get(change_url), client.get(list_url)):
        html = page.content.decode()
        assert page.status_code == 200
        assert "DE02 1001" not in html and "•••• 0101" in html

    staff_client("Mietenbuchhaltung")
    assert "DE02 1001 0010 0006 8201 01" in client.get(change_url).content.decode()


def test_clerk_approves_in_the_admin(
    client, setup, staff_client, django_capture_on_commit_callbacks
):
    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    clerk = staff_client("Mietenbuchhaltung")
    change_url = reverse("admin:contracts_bankchangerequest_change", args=[change.pk])
    page = client.get(change_url).content.decode()
    assert 'name="_approve"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url, {"assigned_to": "", "_approve": "Genehmigen"})

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == BankChangeRequest.Status.APPROVED and change.processed_by == clerk


def test_overdue_filter(client, setup, staff_client):
    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    BankChangeRequest.objects.filter(pk=change.pk).update(due_date=date(2020, 1, 1))
    staff_client("Mietenbuchhaltung")

    overdue = client.get(
        reverse("admin:contracts_bankchangerequest_changelist"), {"due": "overdue"}
    )
    later = client.get(reverse("admin:contracts_bankchangerequest_changelist"), {"due": "later"})

    assert "1001-W01-01" in overdue.content.decode()
    assert "1001-W01-01" not in later.content.decode().split("<tbody>")[-1]


def test_export_of_approved_changes(setup, tmp_path):
    tenant, contract, clerk = setup
    change = open_request(tenant, contract)
    bank_change_approve(bank_change=change, clerk=clerk)
    output = tmp_path / "export.csv"

    call_command(
        "export_bank_changes", "--since", timezone.localdate().isoformat(), "--output", str(output)
    )

    rows = list(csv.DictReader(output.open(encoding="utf-8-sig"), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["iban"] == NEW_IBAN and rows[0]["vertragsnummer"] == "1001-W01-01"
    call_command("export_bank_changes", "--since", "2999-01-01", "--output", str(output))
    assert len(output.read_text(encoding="utf-8-sig").splitlines()) == 1  # header only


def test_mandate_pdf_has_the_masked_iban_and_creditor(client, setup):
    import io

    import pdfplumber

    tenant, contract, _ = setup
    client.force_login(tenant.user)
    submit(client, contract)
    change = BankChangeRequest.objects.get()

    response = client.get(url(contract, "contracts:bank_change_pdf", change.pk))

    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "0101" in text and "1001 0010" not in text and NEW_IBAN not in text
    assert "DE98ZZZ09999999999" in text and change.mandate_reference in text


def test_access_table(client, setup):
    tenant, contract, _ = setup
    partner = TenantFactory()
    contract.partners.add(partner)
    stranger = TenantFactory()
    client.force_login(tenant.user)
    submit(client, contract)
    change = BankChangeRequest.objects.get()
    urls = [
        url(contract),
        url(contract, "contracts:bank_change_detail", change.pk),
        url(contract, "contracts:bank_change_pdf", change.pk),
    ]
    client.logout()

    for page in urls:
        assert client.get(page).status_code == 302  # anonymous → login
    client.force_login(stranger.user)
    for page in urls:
        assert client.get(page).status_code == 404
    assert (
        client.post(url(contract, "contracts:bank_change_withdraw", change.pk)).status_code == 404
    )
    client.force_login(partner.user)  # the other contract partner shares the contract
    for page in urls:
        assert client.get(page).status_code == 200
    # A request id from another contract of the same tenant does not leak either.
    other = ContractFactory(partners=[tenant])
    client.force_login(tenant.user)
    assert client.get(url(other, "contracts:bank_change_detail", change.pk)).status_code == 404


def test_bank_pages_query_count_is_constant(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        contracts = [ContractFactory(partners=[tenant]) for _ in range(n)]
        for contract in contracts:
            for i in range(3):
                checked = iban_check(OLD_IBAN)
                Mandate.objects.create(
                    contract=contract,
                    reference=f"{contract.contract_number}-M{i}",
                    signed_on=date(2020, 1, 1),
                    valid_from=date(2020 + i, 1, 1),
                    valid_until=None if i == 2 else date(2020 + i, 12, 31),
                    holder_name="X",
                    iban=checked.iban,
                    iban_last4="3000",
                )
        return tenant, contracts[0]

    counts = []
    for n in (1, 8):
        tenant, contract = tenant_with(n)
        client.force_login(tenant.user)
        counts.append(
            [
                count_queries(lambda c=contract: client.get(url(c))),
                count_queries(lambda: client.get(reverse("contracts:index"))),
                count_queries(lambda: client.get(reverse("tenants:home"))),
                count_queries(
                    lambda c=contract: client.get(
                        reverse("contracts:detail", args=[c.contract_number])
                    )
                ),
            ]
        )
    assert counts[0] == counts[1]


def test_a_second_approval_for_the_same_month_supersedes_the_first(setup):
    tenant, contract, clerk = setup
    first = bank_change_approve(bank_change=open_request(tenant, contract), clerk=clerk)
    second_request = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check("DE12500105170648489890"),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    second = bank_change_approve(bank_change=second_request, clerk=clerk)

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.valid_from == first.valid_from
    assert shown_mandate(tenant, contract, on=second.valid_from) == second


def test_a_late_approval_moves_the_change_to_the_next_month_it_can_reach(setup, settings):
    from datetime import timedelta

    tenant, contract, clerk = setup
    change = open_request(tenant, contract)
    # Received long ago: its month's rent has been collected from the old account.
    BankChangeRequest.objects.filter(pk=change.pk).update(
        received_at=timezone.now() - timedelta(days=70),
        effective_month=date(2020, 3, 1),
    )

    mandate = bank_change_approve(bank_change=change, clerk=clerk)

    from contracts.banking import effective_month

    expected = effective_month(timezone.now())
    change.refresh_from_db()
    assert mandate.valid_from == expected == change.effective_month
    entry = AuditEntry.objects.get(action="bank_change.approved")
    assert entry.changes["requested_from"] == "2020-03-01"


def test_mandate_references_never_repeat(setup):
    tenant, contract, clerk = setup
    # An imported mandate already carries the next number in sequence.
    checked = iban_check(OLD_IBAN)
    Mandate.objects.create(
        contract=contract,
        reference="1001-W01-01-M02",
        signed_on=date(2021, 1, 1),
        valid_from=date(2021, 1, 1),
        valid_until=date(2021, 12, 31),
        holder_name="X",
        iban=checked.iban,
        iban_last4="3000",
    )

    change = open_request(tenant, contract)

    assert change.mandate_reference == "1001-W01-01-M03"
    assert bank_change_approve(bank_change=change, clerk=clerk).reference == "1001-W01-01-M03"


def test_the_tenant_consents_again_when_the_reference_changed(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    seen = client.get(url(contract)).context["reference"]
    partner = TenantFactory()
    contract.partners.add(partner)
    open_request(partner, contract)  # the partner was quicker

    response = submit(client, contract, reference=seen)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mandatsreferenz" in html and "1001-W01-01-M03" in html
    assert BankChangeRequest.objects.filter(submitted_by=tenant).count() == 0


def test_other_sepa_country_is_kept_for_the_holder(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    submit(
        client,
        contract,
        holder_name="Franz Huber",
        holder_is_other="on",
        holder_street="Ringstraße 1",
        holder_postal_code="1010",
        holder_city="Wien",
        holder_country="AT",
    )

    change = BankChangeRequest.objects.get()
    assert change.holder_country == "AT"
    assert change.holder_address.endswith("AT")


def test_ended_contract_accepts_no_bank_change(client, setup):
    tenant, contract, _ = setup
    contract.end_date = date(2021, 12, 31)
    contract.save()
    client.force_login(tenant.user)

    response = client.get(url(contract), follow=True)

    assert response.redirect_chain
    assert "beendet" in response.content.decode()


def test_withdrawn_request_is_not_sent_to_the_clerk(setup, django_capture_on_commit_callbacks):
    from contracts.services import bank_change_withdraw

    tenant, contract, clerk = setup
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = open_request(tenant, contract)
    bank_change_withdraw(tenant=tenant, bank_change=change)
    for callback in callbacks:
        callback()

    assert clerk.email not in {m.to[0] for m in mail.outbox}


def test_reassigning_tells_the_new_clerk_and_is_audited(
    client, setup, staff_client, django_capture_on_commit_callbacks
):
    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    staff_client("Mietenbuchhaltung")
    colleague = StaffFactory(email="kollegin@thor.example")
    change_url = reverse("admin:contracts_bankchangerequest_change", args=[change.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url, {"assigned_to": colleague.pk, "_save": "Sichern"})

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.assigned_to == colleague
    assert mail.outbox[-1].to == ["kollegin@thor.example"]
    assert AuditEntry.objects.filter(action="bank_change.reassigned").exists()


def test_approving_a_replaced_request_in_the_admin_is_refused(
    client, setup, staff_client, django_capture_on_commit_callbacks
):
    tenant, contract, _ = setup
    first = open_request(tenant, contract)
    open_request(tenant, contract)
    staff_client("Mietenbuchhaltung")

    response = client.post(
        reverse("admin:contracts_bankchangerequest_change", args=[first.pk]),
        {"assigned_to": "", "_approve": "Genehmigen"},
        follow=True,
    )

    first.refresh_from_db()
    assert first.status == BankChangeRequest.Status.REPLACED
    assert "nicht mehr offen" in response.content.decode()


def test_mandate_admin_masks_ibans_for_clerks_without_permission(client, setup, staff_client):
    staff_client("Kundenservice")
    clerk_groups_sync()
    from django.contrib.auth.models import Permission

    user = StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_mandate"))
    client.force_login(user)
    mandate = Mandate.objects.get()

    for page in (
        reverse("admin:contracts_mandate_changelist"),
        reverse("admin:contracts_mandate_change", args=[mandate.pk]),
    ):
        html = client.get(page).content.decode()
        assert "•••• 3000" in html and "3704 0044" not in html


def test_export_file_is_readable_by_its_owner_only(setup, tmp_path):
    output = tmp_path / "export.csv"

    call_command("export_bank_changes", "--since", "2020-01-01", "--output", str(output))

    assert output.stat().st_mode & 0o777 == 0o600


def test_confirmation_mail_names_month_and_due_date(
    client, setup, django_capture_on_commit_callbacks
):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, contract)
    change = BankChangeRequest.objects.get()

    tenant_mail = next(m for m in mail.outbox if m.to == [tenant.user.email])
    with translation.override("de"):
        assert date_format(change.effective_month, "F Y") in tenant_mail.body
    assert change.due_date.strftime("%d.%m.%Y") in tenant_mail.body
    html = tenant_mail.alternatives[0][0]
    assert "•••• 0101" in html and NEW_IBAN not in html and "1001 0010" not in html


def test_export_neutralises_a_holder_name_that_is_a_formula(setup, tmp_path):
    tenant, contract, clerk = setup
    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name='=HYPERLINK("http://x","y")',
        holder_is_tenant=False,
        holder_street="+49 Hauptstraße 1",
        holder_postal_code="20095",
        holder_city="Hamburg",
    )
    bank_change_approve(bank_change=change, clerk=clerk)
    output = tmp_path / "export.csv"

    call_command("export_bank_changes", "--since", "2020-01-01", "--output", str(output))

    rows = list(csv.DictReader(output.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0]["kontoinhaber"] == '\'=HYPERLINK("http://x","y")'
    assert rows[0]["anschrift_kontoinhaber"] == "'+49 Hauptstraße 1, 20095 Hamburg"
    assert rows[0]["iban"] == NEW_IBAN


def shown_form(client, contract):
    context = client.get(url(contract)).context
    return {
        "reference": context["reference"],
        "submission": context["form"].initial.get("submission", ""),
    }


def test_a_double_click_on_send_creates_one_request_and_shows_it(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    form = shown_form(client, contract)

    first = submit(client, contract, **form)
    second = submit(client, contract, **form)  # the same form, sent again

    change = BankChangeRequest.objects.get()
    assert change.status == BankChangeRequest.Status.OPEN
    page = url(contract, "contracts:bank_change_detail", change.pk)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == page
    assert "Vertragspartner" not in client.get(page).content.decode()
    assert AuditEntry.objects.filter(action="bank_change.submitted").count() == 1


def test_each_form_shown_is_a_new_submission(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    first, second = shown_form(client, contract), shown_form(client, contract)
    assert first["submission"] and first["submission"] != second["submission"]


def test_a_sole_tenant_is_not_told_about_a_contract_partner(client, setup):
    tenant, contract, _ = setup
    client.force_login(tenant.user)
    one_tab, other_tab = shown_form(client, contract), shown_form(client, contract)
    submit(client, contract, **one_tab)

    response = submit(client, contract, **other_tab)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Vertragspartner" not in html
    assert "neue Mandatsreferenz" in html and "1001-W01-01-M03" in html
    assert BankChangeRequest.objects.count() == 1


def test_embedded_sqlite_waits_for_the_write_lock(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL locks rows with SELECT … FOR UPDATE")
    # IMMEDIATE: the lock is taken at BEGIN, where the busy timeout applies; without it a
    # second submit fails with "database is locked" when its read turns into a write.
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_tenant_bank_pages_decrypt_no_iban(client, setup):
    """Pages show only the stored last four digits: loading mandates must not decrypt them."""
    from tenants import crypto

    tenant, contract, _ = setup
    change = open_request(tenant, contract)
    client.force_login(tenant.user)
    pages = [
        reverse("contracts:index"),
        reverse("contracts:detail", args=[contract.contract_number]),
        url(contract),
        url(contract, "contracts:bank_change_detail", change.pk),
    ]

    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert "•••• 0101" in response.content.decode() or page == pages[0], page

    assert decrypt.call_count == 0


def test_full_iban_is_still_decrypted_where_it_is_needed(setup):
    from tenants import crypto

    tenant, contract, _ = setup
    open_request(tenant, contract)

    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        mandate = Mandate.objects.get()
        change = BankChangeRequest.objects.get()
        assert decrypt.call_count == 0
        assert mandate.iban == OLD_IBAN and mandate.iban == OLD_IBAN
        assert change.iban == NEW_IBAN
        assert decrypt.call_count == 2  # once per value, then kept
    assert Mandate.objects.filter(pk=mandate.pk).values_list("iban", flat=True)[0] == OLD_IBAN
