from django.urls import path

from modules.accounts import views

urlpatterns = [
    path("personal/", views.staff_page, name="staff"),
    path("personal/<int:user_id>/inaktivera/", views.staff_deactivate_page, name="staff-deactivate"),
    path("mitt-telefonnummer/", views.my_phone_page, name="my-phone"),
]
