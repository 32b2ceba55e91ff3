"""Accounts belong to one tenant: they log in there and nowhere else."""

import re

from django.core import mail
from django_tenants.utils import tenant_context

from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_create
from tests.factories import TEST_PASSWORD, client_for, logged_in_client, make_user, strong_session_mark


def test_ystad_user_cannot_log_in_at_region_skane(ystad, skane):
    make_user(ystad, email="larare@ystad.se", role=User.Role.STAFF)

    response = client_for(skane).post("/login/", {"username": "larare@ystad.se", "password": TEST_PASSWORD})

    assert response.status_code == 200  # the form again, with an error, not a redirect into the site
    assert "_auth_user_id" not in response.client.session
    assert logged_in_client(ystad, "larare@ystad.se").get("/api/me/").json()["email"] == "larare@ystad.se"


def test_session_cookie_from_one_host_is_rejected_at_another(ystad, skane):
    make_user(ystad, email="skolskoterska@ystad.se", role=User.Role.STAFF)
    ystad_client = logged_in_client(ystad, "skolskoterska@ystad.se")
    session_key = ystad_client.cookies["sessionid"].value

    other_host = client_for(skane)
    other_host.cookies["sessionid"] = session_key
    assert other_host.get("/api/me/").status_code == 401  # not signed in there
    assert ystad_client.get("/api/me/").status_code == 200


def test_national_user_cannot_log_in_on_a_tenant_site(central, ystad):
    make_user(central, email="samordnare@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)
    response = client_for(ystad).post("/login/", {"username": "samordnare@backabarnet.se", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_invitation_link_sets_password_once_on_the_tenants_own_domain(ystad, django_capture_on_commit_callbacks):
    with tenant_context(ystad), django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="Ny.Kurator@Ystad.se", full_name="Ny Kurator", role=User.Role.STAFF, acting_user=None)

    (message,) = mail.outbox
    assert message.to == ["ny.kurator@ystad.se"]
    link = re.search(r"http://ystad\.localhost/invitation/(\S+)/", message.body)
    assert link, message.body
    token = link.group(1)
    with tenant_context(ystad):
        assert Invitation.objects.get().token_hash != token  # only the hash is kept

    client = client_for(ystad)
    response = client.post(
        f"/invitation/{token}/", {"password": "Ett-långt-lösen-99", "password_again": "Ett-långt-lösen-99"}
    )
    assert response.status_code == 302
    # Signed in with the new password, the first thing is the authenticator's enrolment: nothing else until then.
    assert client.get("/api/me/").json()["code"] == "strong_auth_required"
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/login/registrera-app/")
    strong_session_mark(client, ystad)
    assert client.get("/api/me/").json()["email"] == "ny.kurator@ystad.se"
    # One time only.
    assert client_for(ystad).get(f"/invitation/{token}/").status_code == 404


def test_invitation_with_mismatched_passwords_explains_and_creates_nothing(ystad, django_capture_on_commit_callbacks):
    with tenant_context(ystad), django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="x@ystad.se", full_name="X", role=User.Role.STAFF, acting_user=None)
    token = re.search(r"/invitation/(\S+)/", mail.outbox[0].body).group(1)

    response = client_for(ystad).post(
        f"/invitation/{token}/", {"password": "Ett-långt-lösen-99", "password_again": "nej"}
    )

    assert response.status_code == 200
    assert "Lösenorden är inte lika." in response.content.decode()
    with tenant_context(ystad):
        assert not User.objects.filter(email="x@ystad.se").exists()


def test_pages_are_swedish_by_default_and_english_when_chosen(ystad):
    client = client_for(ystad)
    assert "Logga in" in client.get("/login/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    english = client.get("/login/").content.decode()
    assert '<html lang="en">' in english
    assert "Sign in" in english
    assert "E-mail address" in english
