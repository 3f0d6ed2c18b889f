import csv
import io

import pdfplumber
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents.models import Delivery, Document, StaticForm
from documents.services import document_publish, documents_publish_files
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def publish(tenants, title="Betriebskostenabrechnung 2025", kind="betriebskostenabrechnung"):
    return document_publish(
        tenants=tenants, kind=kind, title=title, year=2025, content=PDF, filename=f"{title}.pdf"
    )


@pytest.fixture
def couple():
    """Two contract partners: both registered, only the first consents to paperless delivery."""
    first = TenantFactory(paperless=True, first_name="Maria")
    second = TenantFactory(first_name="Hans")
    contract = ContractFactory(partners=[first, second], contract_number="1001-W01-01")
    return first, second, contract


def test_contract_partners_share_contract_documents(client, couple):
    first, second, _ = couple
    document = publish([first, second])
    for tenant in (first, second):
        client.force_login(tenant.user)
        html = client.get(reverse("documents:index")).content.decode()
        assert document.title in html
        assert client.get(reverse("documents:open", args=[document.pk])).status_code == 200


def test_access_table_and_guessing_ids(client, couple):
    first, _, _ = couple
    document = publish([first])
    urls = [
        reverse("documents:open", args=[document.pk]),
        reverse("documents:download", args=[document.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → login
    stranger = TenantFactory()
    publish([stranger], title="Fremdes Dokument")
    client.force_login(stranger.user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404
        assert PDF not in response.content
    assert document.title not in client.get(reverse("documents:index")).content.decode()


def test_first_open_is_recorded_once(client, couple):
    first, second, _ = couple
    document = publish([first, second])
    client.force_login(first.user)

    client.get(reverse("documents:open", args=[document.pk]))
    delivery = Delivery.objects.get(document=document, tenant=first)
    opened = delivery.first_opened_at
    assert opened is not None and delivery.first_opened_by == first.user

    client.get(reverse("documents:download", args=[document.pk]))
    delivery.refresh_from_db()
    assert delivery.first_opened_at == opened
    assert Delivery.objects.get(document=document, tenant=second).first_opened_at is None


def test_new_documents_are_marked_until_opened(client, couple):
    first, _, _ = couple
    document = publish([first])
    client.force_login(first.user)
    assert "is-new" in client.get(reverse("documents:index")).content.decode()
    client.get(reverse("documents:open", args=[document.pk]))
    assert "is-new" not in client.get(reverse("documents:index")).content.decode()


def test_filter_by_kind_and_grouping_by_year(client, couple):
    first, _, _ = couple
    publish([first], title="Betriebskosten 2025")
    document_publish(
        tenants=[first],
        kind="heizkostenabrechnung",
        title="Heizkosten 2024",
        year=2024,
        content=PDF,
        filename="h.pdf",
    )
    client.force_login(first.user)

    html = client.get(reverse("documents:index"), {"art": "heizkostenabrechnung"}).content.decode()
    assert "Heizkosten 2024" in html and "Betriebskosten 2025" not in html
    html = client.get(reverse("documents:index")).content.decode()
    assert html.index('id="year-2025"') < html.index('id="year-2024"')


def test_file_name_with_umlauts_is_encoded(client, couple):
    first, _, _ = couple
    document = document_publish(
        tenants=[first],
        kind="schreiben",
        title="Mieterhöhung März",
        year=2025,
        content=PDF,
        filename="scan-0042.pdf",
    )
    client.force_login(first.user)

    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # Every browser gets an ASCII name; those that can read it the exact one.
    assert 'filename="Mieterhoehung-Maerz-2025.pdf"' in disposition
    assert "filename*=utf-8''Mieterh%C3%B6hung-M%C3%A4rz-2025.pdf" in disposition
    inline = client.get(reverse("documents:open", args=[document.pk]))
    assert inline["Content-Disposition"].startswith("inline")


def test_both_annual_statements_are_named_by_kind_period_and_contract(client, couple):
    first, second, contract = couple
    names = []
    for kind, title in (
        ("betriebskostenabrechnung", "Betriebskostenabrechnung 2025"),
        ("heizkostenabrechnung", "Heizkostenabrechnung 2025"),
    ):
        document = document_publish(
            tenants=[first, second],
            kind=kind,
            title=title,
            year=2025,
            period="2025",
            contract_number=contract.contract_number,
            content=PDF,
            filename="1001-W01-01.pdf",  # as the bulk upload names them
        )
        client.force_login(first.user)
        response = client.get(reverse("documents:download", args=[document.pk]))
        names.append(response["Content-Disposition"])

    assert names == [
        'attachment; filename="Betriebskostenabrechnung-2025-1001-W01-01.pdf"',
        'attachment; filename="Heizkostenabrechnung-2025-1001-W01-01.pdf"',
    ]


def test_a_statement_over_two_years_keeps_both_years_in_its_name(client, couple):
    first, _, contract = couple
    document = document_publish(
        tenants=[first],
        kind="heizkostenabrechnung",
        title="Heizkostenabrechnung 2024/2025",
        year=2025,
        period="2024/2025",
        contract_number=contract.contract_number,
        content=PDF,
        filename="1001-W01-01.pdf",
    )
    client.force_login(first.user)

    response = client.get(reverse("documents:open", args=[document.pk]))

    assert response["Content-Disposition"] == (
        'inline; filename="Heizkostenabrechnung-2024-2025-1001-W01-01.pdf"'
    )


def test_no_document_under_media_url(client, couple, settings):
    first, _, _ = couple
    document = publish([first])
    client.force_login(first.user)

    # A regression guard: nothing may ever serve MEDIA_URL (no pattern exists for it).
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404
    assert "Betriebskosten" not in document.file.name and first.last_name not in document.file.name


def test_x_accel_redirect_when_nginx_serves_the_bytes(client, couple, settings):
    settings.DOCUMENTS_X_ACCEL_PREFIX = "/_protected/"
    first, _, _ = couple
    document = publish([first])
    client.force_login(first.user)

    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response["X-Accel-Redirect"] == "/_protected/" + document.file.name
    assert response.content == b""


def test_bulk_publish_is_idempotent_with_report(
    tmp_path, couple, capsys, django_capture_on_commit_callbacks
):
    first, second, _ = couple
    other = ContractFactory(partners=[TenantFactory(paperless=True)], contract_number="1001-W02-01")
    (tmp_path / "1001-W01-01.pdf").write_bytes(PDF)
    (tmp_path / "1001-W02-01.pdf").write_bytes(PDF)
    (tmp_path / "9999-X.pdf").write_bytes(PDF)
    (tmp_path / "1001-W02-01_kaputt.pdf").write_bytes(b"no pdf")

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "publish_documents",
            str(tmp_path),
            "--kind",
            "betriebskostenabrechnung",
            "--period",
            "2025",
        )
    out = capsys.readouterr().out
    assert "Published: 2" in out and "unmatched: 1" in out
    assert Document.objects.count() == 2
    assert Delivery.objects.count() == 3  # both partners of W01, the tenant of W02
    # Notices: one per consenting registered tenant; Hans (no consent) is on the paper list.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.user.email, other.partners.first().user.email]
    )
    assert Delivery.objects.filter(electronic=False).get().tenant == second

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "publish_documents",
            str(tmp_path),
            "--kind",
            "betriebskostenabrechnung",
            "--period",
            "2025",
        )
    out = capsys.readouterr().out
    assert "Published: 0, skipped as already published: 3" in out
    assert Document.objects.count() == 2 and mail.outbox == []


def test_many_documents_at_once_give_one_notice_per_tenant(
    couple, django_capture_on_commit_callbacks
):
    first, _, contract = couple
    second_contract = ContractFactory(partners=[first], contract_number="1001-S01-01")

    with django_capture_on_commit_callbacks(execute=True):
        report = documents_publish_files(
            files=[(f"{c.contract_number}.pdf", lambda: PDF) for c in (contract, second_contract)],
            kind="heizkostenabrechnung",
            period="2025",
        )

    assert len(report.published) == 2
    notices = [m for m in mail.outbox if m.to == [first.user.email]]
    assert len(notices) == 1
    assert "2 neue Dokumente" in notices[0].subject


def test_tenant_without_account_gets_paper_and_clerk_exports_the_list(client):
    no_account = TenantFactory(user=None, last_name="Papierfreund")
    document = publish([no_account])
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    listing = client.get(reverse("admin:documents_delivery_changelist"), {"paper": "due"})
    assert "Papierfreund" in listing.content.decode()
    response = client.post(
        reverse("admin:documents_delivery_changelist"),
        {
            "action": "export_paper_list",
            "_selected_action": [d.pk for d in document.deliveries.all()],
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1].endswith("Papierfreund") and document.title in rows[1][3]

    client.post(
        reverse("admin:documents_delivery_changelist"),
        {
            "action": "mark_paper_sent",
            "_selected_action": [d.pk for d in document.deliveries.all()],
        },
    )
    assert Delivery.objects.get().paper_sent_at is not None


def test_clerk_sees_proof_of_delivery_per_document_and_tenant(client, couple):
    first, _, _ = couple
    document = publish([first])
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Mietenbuchhaltung"))
    client.force_login(clerk)

    page = client.get(
        reverse("admin:documents_document_change", args=[document.pk])
    ).content.decode()
    assert "Zustellnachweis" in page or "proof" in page.lower()
    per_tenant = client.get(
        reverse("admin:documents_delivery_changelist"), {"q": first.tenant_number}
    )
    assert document.title in per_tenant.content.decode()


def test_clerk_uploads_several_documents_in_the_admin(
    client, couple, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    first, _, _ = couple
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Mietenbuchhaltung"))
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:documents_document_upload"),
            {
                "kind": "heizkostenabrechnung",
                "period": "2025",
                "files": [
                    SimpleUploadedFile("1001-W01-01.pdf", PDF),
                    SimpleUploadedFile("x.pdf", PDF),
                ],
            },
        )

    assert response.status_code == 302
    assert Document.objects.get().contract_number == "1001-W01-01"
    assert first.user.email in [m.to[0] for m in mail.outbox]


def test_documents_page_query_count_is_constant(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        document = publish([tenant], title="Muster")
        documents = Document.objects.bulk_create(
            [
                Document(
                    kind="schreiben",
                    title=f"Schreiben {i}",
                    year=2000 + i % 25,
                    file=document.file.name,
                    original_name="a.pdf",
                )
                for i in range(n)
            ]
        )
        Delivery.objects.bulk_create([Delivery(document=d, tenant=tenant) for d in documents])
        return tenant

    counts = []
    for n in (5, 500):
        tenant = tenant_with(n)
        client.force_login(tenant.user)
        counts.append(count_queries(lambda: client.get(reverse("documents:index"))))
        counts.append(count_queries(lambda: client.get(reverse("tenants:home"))))
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_forms_page_static_and_personal(client, couple):
    first, _, contract = couple
    form = StaticForm(
        title="Antrag auf Tierhaltung", is_active=True, original_name="Tierhaltung.pdf"
    )
    form.file.save("f", ContentFile(PDF), save=False)
    form.save()
    StaticForm.objects.create(title="Alt", is_active=False, file=form.file.name)
    client.force_login(first.user)

    page = client.get(reverse("forms:index")).content.decode()
    assert "Antrag auf Tierhaltung" in page and "Alt" not in page
    assert "Wohnungsgeberbestätigung" in page
    response = client.get(reverse("forms:static", args=[form.pk]))
    assert b"".join(response.streaming_content) == PDF

    cases = {
        "sepa-mandat": ["DE98ZZZ09999999999", contract.contract_number, first.last_name],
        "wohnungsgeberbestaetigung": ["Einzug", contract.unit.property.city, first.last_name],
    }
    for key, expected in cases.items():
        response = client.get(reverse("forms:personal", args=[key]))
        assert response["Content-Type"] == "application/pdf"
        with pdfplumber.open(io.BytesIO(response.content)) as pdf:
            text = pdf.pages[0].extract_text()
        assert all(item in text for item in expected), (key, text)

    response = client.get(reverse("forms:personal", args=["mietbescheinigung"]))
    assert response.status_code == 302 and "/kontakt/neu/" in response.url
    assert client.get(reverse("forms:personal", args=["gibt-es-nicht"])).status_code == 404


def test_document_request_is_answered_with_the_document(
    client, couple, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requests.models import Category, ContactRequest

    first, _, _ = couple
    client.force_login(first.user)
    category = Category.objects.get(name="Dokument anfordern")
    client.post(
        reverse("requests:create", args=[category.pk]),
        {
            "message": "Bitte die Abrechnung 2021",
            "document": "Betriebskostenabrechnung",
            "year": 2021,
        },
    )
    request = ContactRequest.objects.get()
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:requests_contactrequest_change", args=[request.pk]),
            {
                "status": request.status,
                "assigned_to": "",
                "document_title": "Betriebskostenabrechnung 2021",
                "document_file": SimpleUploadedFile("bk2021.pdf", PDF),
                "_send_document": "1",
            },
        )

    request.refresh_from_db()
    document = Document.objects.get()
    assert request.status == ContactRequest.Status.DONE
    assert document.year == 2021 and Delivery.objects.get().tenant == first
    answer = [m for m in mail.outbox if m.to == [first.user.email]][-1]
    assert reverse("documents:open", args=[document.pk]) in answer.body


def test_bank_change_mandate_lands_in_the_documents(client, couple):
    first, _, contract = couple
    client.force_login(first.user)
    client.post(
        reverse("contracts:bank_change", args=[contract.contract_number]),
        {"iban": "DE02100100100006820101", "holder_name": "Maria", "consent": "on", "submit": ""},
    )

    document = Document.objects.get(kind="schreiben")
    assert "SEPA" in document.title
    with pdfplumber.open(io.BytesIO(document.file.read())) as pdf:
        text = pdf.pages[0].extract_text()
    assert "0101" in text and "1001 0010" not in text
    assert timezone.localdate().year == document.year


def test_a_rerun_after_a_crash_completes_the_notices(couple, django_capture_on_commit_callbacks):
    first, _, _ = couple
    other = ContractFactory(partners=[TenantFactory(paperless=True)], contract_number="1001-W02-01")

    def broken():
        raise OSError("disk gone")

    # First run: W01 published, then the run dies before any notice went out.
    document_publish(
        tenants=[first],
        kind="betriebskostenabrechnung",
        title="BK 2025",
        year=2025,
        period="2025",
        content=PDF,
        filename="1001-W01-01.pdf",
        contract_number="1001-W01-01",
        notify=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = documents_publish_files(
            files=[
                ("1001-W01-01.pdf", lambda: PDF),
                ("1001-W02-01.pdf", lambda: PDF),
                ("1001-W03-01.pdf", broken),
            ],
            kind="betriebskostenabrechnung",
            period="2025",
        )

    assert report.skipped == ["1001-W01-01.pdf"] and report.published == ["1001-W02-01.pdf"]
    notified = sorted(m.to[0] for m in mail.outbox)
    assert notified == sorted([first.user.email, other.partners.first().user.email])


def test_single_tenant_upload_sends_one_notice_for_all_files(
    client, couple, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    first, _, _ = couple
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:documents_document_upload"),
            {
                "kind": "schreiben",
                "period": "2026",
                "tenant_number": first.tenant_number,
                "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
            },
        )

    assert Document.objects.filter(period="2026").count() == 2
    assert [m.to for m in mail.outbox] == [[first.user.email]]


def test_signed_url_delivery_redirects_after_the_access_check(client, couple, settings):
    settings.DOCUMENTS_DELIVERY = "signed-url"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.documents.signing_storage.SigningStorage"},
    }
    first, _, _ = couple
    document = publish([first])
    client.force_login(first.user)

    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == 302
    assert response.url.startswith("https://s3.example/") and "expires=60" in response.url
    client.force_login(TenantFactory().user)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_forms_access(client, couple):
    first, _, contract = couple
    stranger = TenantFactory()
    foreign = ContractFactory(partners=[stranger], contract_number="9999-W99-99")
    urls = [reverse("forms:index"), reverse("forms:personal", args=["sepa-mandat"])]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(first.user)
    # Another tenant's contract number is ignored: the form shows the tenant's own contract.
    response = client.get(urls[1], {"vertrag": foreign.contract_number})
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert contract.contract_number in text and foreign.contract_number not in text
    assert stranger.last_name not in text


def test_paper_list_neutralises_a_name_that_is_a_formula(client):
    hostile = TenantFactory(user=None, first_name="", last_name="@SUM(1)", street="\tGasse 1")
    document = publish([hostile], title="-Abrechnung")
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    response = client.post(
        reverse("admin:documents_delivery_changelist"),
        {
            "action": "export_paper_list",
            "_selected_action": [d.pk for d in document.deliveries.all()],
        },
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == hostile.tenant_number
    assert rows[1][1] == "'@SUM(1)"
    assert rows[1][2].startswith("'@SUM(1) / \tGasse 1")
    assert rows[1][3] == "'-Abrechnung"
