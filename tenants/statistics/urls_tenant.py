from django.urls import path

from tenants.statistics import views

urlpatterns = [
    path("statistik/", views.local, name="statistics"),
    path("statistik/export.csv", views.local_export, {"output": "csv"}, name="statistics-export-csv"),
    path("statistik/export.json", views.local_export, {"output": "json"}, name="statistics-export-json"),
]
