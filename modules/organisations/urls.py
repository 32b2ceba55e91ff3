from django.urls import path

from modules.organisations import views

urlpatterns = [
    path("organisationer/", views.organisations_page, name="organisations"),
    path("organisationer/<int:pk>/", views.organisation_edit_page, name="organisation-edit"),
    path("organisationer/enheter/<int:pk>/", views.unit_edit_page, name="unit-edit"),
]
