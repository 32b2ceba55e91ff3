from django.urls import path

from tenants.console import views
from tenants.statistics import views as statistics_views

urlpatterns = [
    path("", views.tenant_list, name="console"),
    path("instanser/<int:tenant_id>/", views.tenant_detail, name="console-tenant"),
    # Before the catch-all action route below.
    path("instanser/<int:tenant_id>/overenskommelse/", views.agreement_download, name="console-agreement-download"),
    path("instanser/<int:tenant_id>/exporter/<int:export_id>/", views.export_download, name="console-export-download"),
    path("instanser/<int:tenant_id>/<slug:action>/", views.tenant_action, name="console-tenant-action"),
    path("ansokningar/", views.application_list, name="console-applications"),
    path("ansokningar/<int:application_id>/", views.application_detail, name="console-application"),
    path("statistik/", statistics_views.national, name="console-statistics"),
    path("statistik/export.csv", statistics_views.national_export, {"output": "csv"}, name="console-statistics-csv"),
    path("statistik/export.json", statistics_views.national_export, {"output": "json"}, name="console-statistics-json"),
]
