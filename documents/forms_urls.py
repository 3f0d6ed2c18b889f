from django.urls import path

from . import views

app_name = "forms"

urlpatterns = [
    path("", views.forms, name="index"),
    path("<int:pk>/", views.static_form, name="static"),
    path("persoenlich/<slug:key>/", views.personal_form_view, name="personal"),
]
