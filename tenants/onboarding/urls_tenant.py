from django.urls import path

from tenants.onboarding import views

urlpatterns = [
    path("inforande/", views.tenant_checklist, name="onboarding-checklist"),
    path("inforande/overenskommelse/", views.agreement_download, name="onboarding-agreement-download"),
]
