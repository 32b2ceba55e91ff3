from django.urls import path, re_path

from tenants.statistics import views

urlpatterns = [
    path("statistik/", views.local, name="statistics"),
    re_path(r"^statistik/export\.(?P<output>csv|json)$", views.local_export, name="statistics-export"),
]
