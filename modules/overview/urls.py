from django.urls import path

from modules.overview import views

urlpatterns = [path("oversikt/", views.caseload_page, name="overview-caseload")]
