from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:contract_number>/", views.detail, name="detail"),
]
