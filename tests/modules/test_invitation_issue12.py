"""Issue 12: the invitation page says what is wrong with a password (Django's validators), not that two equal
passwords differ; a used link gets a page that says so and what to do, not Django's 404."""

import re

from django.core import mail
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import invitation_create
from tests.factories import client_for


def _invite(tenant, capture, email):
    with tenant_context(tenant), capture(execute=True):
        invitation_create(email=email, full_name="Ny Kurator", role=User.Role.STAFF, acting_user=None)
    return re.search(r"/invitation/(\S+)/", mail.outbox[-1].body).group(1)


def test_equal_but_short_passwords_get_the_validators_message(ystad, django_capture_on_commit_callbacks):
    token = _invite(ystad, django_capture_on_commit_callbacks, "kort@ystad.se")

    response = client_for(ystad).post(f"/invitation/{token}/", {"password": "kort123", "password_again": "kort123"})

    page = response.content.decode()
    assert "Lösenorden är inte lika" not in page
    assert "för kort" in page and "12 tecken" in page
    assert 'id="id_password_error"' in page
    with tenant_context(ystad):
        assert not User.objects.filter(email="kort@ystad.se").exists()


def test_a_common_password_is_named_as_such(ystad, django_capture_on_commit_callbacks):
    token = _invite(ystad, django_capture_on_commit_callbacks, "vanlig@ystad.se")

    page = (
        client_for(ystad)
        .post(f"/invitation/{token}/", {"password": "password1234", "password_again": "password1234"})
        .content.decode()
    )

    assert "för vanligt" in page and "Lösenorden är inte lika" not in page


def test_a_used_invitation_link_explains_what_to_do(ystad, django_capture_on_commit_callbacks):
    token = _invite(ystad, django_capture_on_commit_callbacks, "anvand@ystad.se")
    client_for(ystad).post(
        f"/invitation/{token}/", {"password": "Ett-långt-lösen-99", "password_again": "Ett-långt-lösen-99"}
    )

    response = client_for(ystad).get(f"/invitation/{token}/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Inbjudningslänken går inte att använda" in page
    assert "har redan använts eller har gått ut" in page
    assert "lokala administratören" in page and "ny inbjudan" in page
    assert '<main id="main"' in page  # the site's own layout, not Django's bare 404
