from django.urls import path

from tenants.onboarding import views

urlpatterns = [
    path("ansok/", views.apply, name="onboarding-apply"),
    path("ansok/kvitto/<int:application_id>/", views.receipt, name="onboarding-receipt"),
]
