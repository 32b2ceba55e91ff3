from django.urls import path, register_converter

from tenants.statistics import views


class ExportFormat:
    """The export's file type in its address (statistik/export.csv, .json); any other is no route (404)."""

    regex = "csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

urlpatterns = [
    path("statistik/", views.local, name="statistics"),
    path("statistik/export.<export_format:output>", views.local_export, name="statistics-export"),
]
