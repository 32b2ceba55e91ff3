from django.urls import path

from modules.organisations import views

urlpatterns = [path("organisationer/", views.organisations_page, name="organisations")]
