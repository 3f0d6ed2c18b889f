"""Access table of "Meine Dokumente", the Belegeinsicht and "Formulare" (documents/api.py)."""

from decimal import Decimal

from django.core.files.base import ContentFile

from documents.models import Delivery, Document, StaticForm
from documents.receipts import ReceiptUpload, receipt_set_ensure, receipts_add
from documents.services import document_publish
from tests.tenants.factories import ContractFactory, UnitFactory

from .kit import Call, Route

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_TITLE = "Abrechnung Eigentlich Geheim"
SECRET_RECEIPT = "Hausmeister Eigentlich"
SECRET_CONTENT = "Inhalt-nur-fuer-Eigentlich"


def publish(world, *, title: str = SECRET_TITLE, period: str = "2025") -> Document:
    return document_publish(
        tenants=[world.owner],
        kind=Document.Kind.BETRIEBSKOSTEN,
        title=f"{title} {period}",
        year=int(period[:4]),
        period=period,
        content=PDF + f"% {SECRET_CONTENT}\n".encode(),
        filename="statement.pdf",
        contract_number=world.owner_contract.contract_number,
        notify=False,
    )


def add_receipts(world, *, count: int = 1, period: str = "2025"):
    receipt_set, _ = receipt_set_ensure(
        property=world.owner_contract.unit.property,
        kind=Document.Kind.BETRIEBSKOSTEN,
        period=period,
    )
    return receipts_add(
        receipt_set=receipt_set,
        uploads=[
            ReceiptUpload(f"beleg-{n}.pdf", PDF, f"{SECRET_RECEIPT} {n}", Decimal("12.50"))
            for n in range(count)
        ],
        by=None,
    )


def static_form(title: str = "Antrag auf Tierhaltung") -> StaticForm:
    form = StaticForm(title=title, title_en="Pet application", original_name="tiere.pdf")
    form.file.save("f", ContentFile(PDF), save=False)
    form.save()
    return form


def _more_documents(world) -> None:
    """Three more statements (one with receipts); every document unopened again, so the
    download takes the same path (recording the first opening) as in the first call."""
    for period in ("2022", "2023", "2024"):
        publish(world, title="Weitere Abrechnung", period=period)
    add_receipts(world, count=2, period="2024")
    Delivery.objects.filter(tenant=world.owner).update(first_opened_at=None, first_opened_by=None)


def _more_receipts(world) -> None:
    add_receipts(world, count=3)


def _more_forms(world) -> None:
    static_form("Antrag auf Untervermietung")
    static_form("Kündigung")


def _documents(world) -> Call:
    publish(world)
    add_receipts(world)
    return Call("documents", scoped=False, secrets=[SECRET_TITLE])


def _document_file(world) -> Call:
    document = publish(world)
    return Call(f"documents/{document.pk}/file", secrets=[SECRET_CONTENT])


def _receipts(world) -> Call:
    document = publish(world)
    add_receipts(world)
    return Call(f"documents/{document.pk}/receipts", secrets=[SECRET_RECEIPT, SECRET_TITLE])


def _receipt_file(world) -> Call:
    document = publish(world)
    (receipt,) = add_receipts(world)
    return Call(f"documents/{document.pk}/receipts/{receipt.pk}/file", secrets=[SECRET_RECEIPT])


def _forms(world) -> Call:
    static_form()
    return Call("forms", scoped=False)


def _static_form_file(world) -> Call:
    # Forms to print are the same for every tenant: another tenant gets the file too.
    return Call(f"forms/static/{static_form().pk}/file", scoped=False)


def _personal_form_file(world) -> Call:
    # Filled in with the caller's own data: another tenant gets their own form.
    return Call(
        "forms/personal/wohnungsgeberbestaetigung/file",
        data={"contract_number": world.owner_contract.contract_number},
        scoped=False,
        secrets=[world.owner.last_name],
    )


def _more_contracts(world) -> None:
    ContractFactory(unit=UnitFactory(), partners=[world.owner])


ROUTES = [
    Route("GET", "/api/v1/documents", _documents, queries=2, more=_more_documents),
    Route(
        "GET",
        "/api/v1/documents/{document_id}/file",
        _document_file,
        queries=4,
        more=_more_documents,
    ),
    Route(
        "GET",
        "/api/v1/documents/{document_id}/receipts",
        _receipts,
        queries=4,
        more=_more_receipts,
    ),
    Route(
        "GET",
        "/api/v1/documents/{document_id}/receipts/{receipt_id}/file",
        _receipt_file,
        queries=5,
        more=_more_receipts,
    ),
    Route("GET", "/api/v1/forms", _forms, queries=2, more=_more_forms),
    Route(
        "GET",
        "/api/v1/forms/static/{form_id}/file",
        _static_form_file,
        queries=2,
        more=_more_forms,
    ),
    Route(
        "GET",
        "/api/v1/forms/personal/{key}/file",
        _personal_form_file,
        queries=6,
        more=_more_contracts,
    ),
]
