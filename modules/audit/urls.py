from django.urls import path

from modules.audit import views

urlpatterns = [
    path("loggkontroll/", views.access_review_page, name="access-review"),
    path(
        "loggkontroll/nodatkomst/<int:grant_id>/granskad/",
        views.emergency_access_review_page,
        name="access-review-emergency-close",
    ),
    path("loggkontroll/export.csv", views.access_review_csv, name="access-review-csv"),
]
