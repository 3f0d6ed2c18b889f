from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:contract_number>/", views.detail, name="detail"),
    path("<str:contract_number>/mietkonto/", views.rent_account, name="rent_account"),
    path(
        "<str:contract_number>/mietkonto/mietkonto.csv",
        views.rent_account_csv,
        name="rent_account_csv",
    ),
    path("<str:contract_number>/bankverbindung/", views.bank_change, name="bank_change"),
    path(
        "<str:contract_number>/bankverbindung/<int:pk>/",
        views.bank_change_detail,
        name="bank_change_detail",
    ),
    path(
        "<str:contract_number>/bankverbindung/<int:pk>/zurueckziehen/",
        views.bank_change_withdraw_view,
        name="bank_change_withdraw",
    ),
    path(
        "<str:contract_number>/bankverbindung/<int:pk>/mandat.pdf",
        views.bank_change_pdf,
        name="bank_change_pdf",
    ),
]
