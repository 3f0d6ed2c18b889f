from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:document_id>/", views.open_document, name="open"),
    path("<int:document_id>/herunterladen/", views.download_document, name="download"),
    path("<int:document_id>/belege/", views.receipts, name="receipts"),
    path("<int:document_id>/belege/<int:receipt_id>/", views.open_receipt, name="receipt_open"),
    path(
        "<int:document_id>/belege/<int:receipt_id>/herunterladen/",
        views.download_receipt,
        name="receipt_download",
    ),
]
