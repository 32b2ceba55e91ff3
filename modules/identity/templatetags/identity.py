"""``{% identity_sign_in_options as options %}``: the "Logga in med …" links of the login and invitation pages,
and whether the password form is shown (an instance may allow identity providers only)."""

from dataclasses import dataclass

from django import template
from django.db import connection
from django.urls import reverse

from modules.identity import registry
from modules.identity.selectors import password_login_allowed, providers_enabled

register = template.Library()


@dataclass(frozen=True)
class SignInOptions:
    links: list  # [(name, url)]
    password_allowed: bool


@register.simple_tag
def identity_sign_in_options(invitation_token: str = "") -> SignInOptions:
    if connection.schema_name == "public":
        # The central site: national users sign in with passwords; the federation links lead to "Mina instanser".
        links = [] if invitation_token else registry.central_sign_in_links()
        return SignInOptions(links=links, password_allowed=True)
    name = "idp-invitation" if invitation_token else "idp-sign-in"
    links = [
        (
            provider.name,
            reverse(
                name, kwargs={"provider_id": provider.pk, **({"token": invitation_token} if invitation_token else {})}
            ),
        )
        for provider in providers_enabled()
    ]
    return SignInOptions(links=links, password_allowed=password_login_allowed())


@register.simple_tag
def binding_of(bindings: dict, user):
    """The user's binding from ``bindings_by_user()`` (a dict by user id), or None."""
    return bindings.get(user.pk)
