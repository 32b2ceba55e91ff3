from django.urls import path

from modules.accounts import views

urlpatterns = [
    path("personal/", views.staff_page, name="staff"),
    path("personal/<int:user_id>/inaktivera/", views.staff_deactivate_page, name="staff-deactivate"),
    path(
        "personal/<int:user_id>/tvastegsverifiering/",
        views.staff_second_factor_reset_page,
        name="staff-second-factor-reset",
    ),
]
