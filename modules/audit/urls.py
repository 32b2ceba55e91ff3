from django.urls import path

from modules.audit import views

urlpatterns = [
    path("loggkontroll/", views.access_review_page, name="access-review"),
    path("loggkontroll/export.csv", views.access_review_csv, name="access-review-csv"),
]
