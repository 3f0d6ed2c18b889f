from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:document_id>/", views.open_document, name="open"),
    path("<int:document_id>/herunterladen/", views.download_document, name="download"),
]
