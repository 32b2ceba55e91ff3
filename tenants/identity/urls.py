from django.urls import path

from tenants.identity import views

urlpatterns = [
    path("saml/metadata/", views.saml_metadata, name="central-saml-metadata"),
    path("saml/acs/", views.saml_acs, name="central-saml-acs"),
    path("oidc/callback/", views.oidc_callback, name="central-oidc-callback"),
    path("logga-in/nationell/<int:provider_id>/", views.sign_in_start, name="central-idp-sign-in"),
    path("mina-instanser/", views.my_instances, name="my-instances"),
    path("konsol/identitetsleverantorer/", views.federation_list, name="console-federation"),
]
