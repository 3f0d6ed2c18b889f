from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("", views.start, name="start"),
    path("zugang/", views.account, name="account"),
    path("bestaetigen/", views.confirm, name="confirm"),
    path("bestaetigen/<str:key>/", views.confirm_link, name="confirm_link"),
]
