from django.urls import path

from . import views

app_name = "consumption"

urlpatterns = [
    path("", views.index, name="index"),
    path("diagramm/<int:unit_id>/<str:kind>.svg", views.chart, name="chart"),
    path("export.csv", views.export, name="export"),
]
