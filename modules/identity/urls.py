from django.urls import path

from modules.identity import views

urlpatterns = [
    path("saml/metadata/", views.saml_metadata, name="saml-metadata"),
    path("saml/acs/", views.saml_acs, name="saml-acs"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("logga-in/idp/<int:provider_id>/", views.sign_in_start, name="idp-sign-in"),
    path("logga-in/nationell/<int:federation_id>/", views.sign_in_start_federation, name="idp-sign-in-federation"),
    path("invitation/<str:token>/idp/<int:provider_id>/", views.sign_in_start, name="idp-invitation"),
    path("inloggning/", views.providers_page, name="identity-providers"),
    path("personal/<int:user_id>/koppla-fran/", views.binding_end_page, name="identity-unbind"),
]
