"""Demo documents: a Betriebs- and a Heizkostenabrechnung per demo contract, two forms."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tenants.models import Contract, Tenant, User
from tenants.selectors import partners_by_contract_number

from .models import Delivery, Document, ReceiptSet, StaticForm
from .pdf import render_pdf
from .receipts import ReceiptUpload, receipt_set_ensure, receipts_add
from .services import delivery_open, documents_publish_files


def _statement(title: str, number: str, total: str) -> bytes:
    return render_pdf("pdf/demo_statement.html", {"title": title, "number": number, "total": total})


def seed_documents(stdout) -> None:
    tenants = Tenant.objects.filter(user__email__in=["mieterin@example.com", "mieter@example.com"])
    numbers = sorted(
        {
            number
            for number, partners in partners_by_contract_number(
                contract_numbers=["1001-W01-01", "1001-W02-01", "1001-S01-01"]
            ).items()
            if partners
        }
    )
    for kind, title, total in [
        (Document.Kind.BETRIEBSKOSTEN, "Betriebskostenabrechnung 2025", "Nachzahlung 86,40 €"),
        (Document.Kind.HEIZKOSTEN, "Heizkostenabrechnung 2025", "Guthaben 41,12 €"),
    ]:
        documents_publish_files(
            files=[
                (f"{number}.pdf", lambda n=number, t=title, s=total: _statement(t, n, s))
                for number in numbers
                if not number.startswith("1001-S")
            ],
            kind=kind,
            period="2025",
            title=title,
        )
    maria = tenants.filter(user__email="mieterin@example.com").first()
    opened = Delivery.objects.filter(
        tenant=maria, document__kind=Document.Kind.BETRIEBSKOSTEN
    ).first()
    if opened is not None and opened.first_opened_at is None:
        delivery_open(delivery=opened, user=User.objects.get(email="mieterin@example.com"))
    _seed_receipts()
    for order, (title, description, title_en, description_en) in enumerate(
        [
            (
                "Antrag auf Untervermietung",
                "Zum Ausdrucken, Ausfüllen und Zurücksenden.",
                "Application to sublet",
                "To print, fill in and send back.",
            ),
            (
                "Antrag auf Tierhaltung",
                "Für Hunde und Katzen; Kleintiere brauchen keinen Antrag.",
                "Application to keep a pet",
                "For dogs and cats; small animals need no application.",
            ),
        ]
    ):
        # English texts also for forms an earlier demo created in German only.
        StaticForm.objects.filter(title=title, title_en="").update(
            title_en=title_en, description_en=description_en
        )
        if not StaticForm.objects.filter(title=title).exists():
            form = StaticForm(
                title=title,
                title_en=title_en,
                description=description,
                description_en=description_en,
                order=order,
                is_active=True,
            )
            pdf = render_pdf("pdf/demo_statement.html", {"title": title, "number": "", "total": ""})
            form.original_name = f"{title}.pdf"
            form.file.save("form", ContentFile(pdf), save=False)
            form.save()
    stdout.write(
        f"Documents: {Document.objects.count()}, forms: {StaticForm.objects.count()} "
        f"({timezone.localdate():%d.%m.%Y})"
    )


# The receipts behind the 2025 operating cost statement of Maria's property (Belegeinsicht).
DEMO_RECEIPTS = [
    ("hausmeister-2025.pdf", "Hausmeisterdienst 2025", "4812.00", "Rechnung Hausmeister Nord"),
    ("versicherung-2025.pdf", "Gebäudeversicherung 2025", "3265.40", "Beitragsrechnung"),
    ("muellabfuhr-2025.pdf", "Müllabfuhr 2025", "2140.80", "Gebührenbescheid Stadtreinigung"),
    ("treppenhausreinigung-2025.pdf", "Treppenhausreinigung 2025", "1980.00", "Rechnung"),
]


def _seed_receipts() -> None:
    contract = (
        Contract.objects.select_related("unit__property")
        .filter(contract_number="1001-W01-01")
        .first()
    )
    if contract is None:
        return
    receipt_set, _created = receipt_set_ensure(
        property=contract.unit.property, kind=ReceiptSet.Kind.BETRIEBSKOSTEN, period="2025"
    )
    if receipt_set.receipts.exists():
        return
    receipts_add(
        receipt_set=receipt_set,
        uploads=[
            ReceiptUpload(
                name,
                _statement(f"{title} – {text}", "", f"{Decimal(amount):.2f} €".replace(".", ",")),
                title,
                Decimal(amount),
            )
            for name, title, amount, text in DEMO_RECEIPTS
        ],
        by=None,
    )
