from django.urls import path

from modules.consent import views

urlpatterns = [
    path("barn/<int:child_id>/samtycken/nytt/", views.consent_new, name="consent-new"),
    path(
        "barn/<int:child_id>/samtycken/<int:consent_id>/aterkalla/",
        views.consent_withdraw_page,
        name="consent-withdraw",
    ),
]
