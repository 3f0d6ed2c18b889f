from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("", views.index, name="index"),
    path("neu/", views.choose_category, name="choose"),
    path("neu/<int:category_id>/", views.create, name="create"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/anhang/<int:pk>/", views.attachment, name="attachment"),
    path(
        "<str:reference>/anhang/<int:pk>/vorschau/",
        views.attachment,
        {"thumbnail": True},
        name="thumbnail",
    ),
]
