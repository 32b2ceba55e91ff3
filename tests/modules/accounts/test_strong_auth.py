"""Strong authentication for password sign-in (issue 15 §5–6): the authenticator enrolled at the first sign-in,
sign-in with its code or a recovery code, lockout per account and per address and its expiry, password reset by
e-mail, idle sessions, signing out everywhere, API tokens only with a second factor, and the audit entries."""

import re
import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.strong_auth import _recovery_codes_make
from modules.audit.models import AuditEntry
from modules.audit.readable import readable_entries
from tests.factories import TEST_PASSWORD, client_for, logged_in_client, make_user

EMAIL = "tva.steg@ystad.se"


def _step() -> int:
    return int(time.time()) // 30


def _code(device: TOTPDevice, *, step: int | None = None) -> str:
    """What the person's app shows now, or at ``step`` (30 s each; one step either side is accepted)."""
    totp = TOTP(device.bin_key)
    totp.time = (_step() if step is None else step) * 30
    return f"{totp.token():06d}"


def _enrolled(tenant, email=EMAIL, role=User.Role.STAFF):
    """An account whose authenticator is enrolled (as the enrolment page leaves it), with its recovery codes."""
    user = make_user(tenant, email=email, role=role)
    with tenant_context(tenant):
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
        codes = _recovery_codes_make(user=user)
    return user, device, codes


def _password(client, email=EMAIL, password=TEST_PASSWORD, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def _actions(tenant, user=None) -> list[str]:
    with tenant_context(tenant):
        entries = AuditEntry.objects.filter(object_type__regex=r"^(sign-in|factor):|^accounts\.user$").order_by("pk")
        return list((entries.filter(actor=user) if user else entries).values_list("action", flat=True))


def test_first_sign_in_enrols_the_authenticator_and_the_next_asks_for_its_code(ystad):
    user = make_user(ystad, email=EMAIL, role=User.Role.LOCAL_ADMIN)
    client = client_for(ystad)
    assert _password(client)["Location"] == "/login/kod/?next=%2F"

    # Signed in with the password only: every page leads to the enrolment, the API refuses.
    assert client.get("/personal/")["Location"] == "/login/kod/?next=%2Fpersonal%2F"
    assert client.get("/login/kod/?next=%2Fpersonal%2F")["Location"] == "/login/registrera-app/?next=%2Fpersonal%2F"
    assert client.get("/api/me/").json()["code"] == "strong_auth_required"
    page = client.get("/login/registrera-app/?next=%2Fpersonal%2F").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page and "QR-kod för autentiseringsappen" in page
    with tenant_context(ystad):
        device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = re.search(r'data-key="([A-Z2-7]+)"', page).group(1)
    assert key.startswith(re.sub(r"\s", "", re.search(r'data-key="[^"]+">([^<]+)<', page).group(1))[:8])

    wrong = client.post("/login/registrera-app/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "Koden stämmer inte" in wrong.content.decode()
    time.sleep(1.05)  # after a wrong code the authenticator accepts none for a second (django-otp's throttling)
    step = _step()
    confirmed = client.post("/login/registrera-app/", {"code": _code(device, step=step), "next": "/personal/"})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", confirmed.content.decode())
    assert len(codes) == 10
    assert client.get("/personal/").status_code == 200
    assert client.get("/login/registrera-app/")["Location"].startswith("/login/kod/")  # no second enrolment

    # The next sign-in: the password, then the code (the next step's: the code used above is spent).
    again = client_for(ystad)
    _password(again)
    assert "Kod" in again.get("/login/kod/").content.decode()
    replay = again.post("/login/kod/", {"code": _code(device, step=step)})
    assert replay.status_code == 200 and "Koden stämmer inte" in replay.content.decode()
    time.sleep(1.05)
    next_step = again.post("/login/kod/", {"code": _code(device, step=step + 1), "next": "/personal/"})
    assert next_step["Location"] == "/personal/"
    assert again.get("/api/me/").json()["email"] == EMAIL
    assert _actions(ystad, user) == ["factor_enrolled", "sign_in", "sign_in_failed", "sign_in"]


def test_a_recovery_code_signs_in_once_and_is_in_the_audit_log(ystad):
    user, _device, codes = _enrolled(ystad)
    first = client_for(ystad)
    _password(first)
    assert first.post("/login/kod/", {"code": codes[0].upper()[:4] + " " + codes[0][4:]})["Location"] == "/"
    assert first.get("/api/me/").status_code == 200
    second = client_for(ystad)
    _password(second)
    assert "Koden stämmer inte" in second.post("/login/kod/", {"code": codes[0]}).content.decode()
    with tenant_context(ystad):
        assert StaticToken.objects.filter(device__user=user).count() == 9
        entries = readable_entries(AuditEntry.objects.filter(actor=user).order_by("pk"))
    assert [(entry.action, entry.object) for entry in entries] == [
        ("Använde en reservkod", "Reservkoder"),
        ("Loggade in", "Inloggning med lösenord och reservkod"),
        ("Misslyckad inloggning", "Inloggning: kod från autentiseringsapp eller reservkod"),
    ]


def test_an_account_is_locked_after_repeated_failures_then_unlocked_after_the_cool_off(ystad, skane, settings):
    user, device, _codes = _enrolled(ystad)
    make_user(skane, email=EMAIL, role=User.Role.STAFF)  # the same address, another instance's account
    client = client_for(ystad)
    answers = [_password(client, password=f"fel-{n}") for n in range(settings.AUTH_LOCKOUT_ACCOUNT_FAILURES)]
    assert [answer.status_code for answer in answers] == [200] * 4 + [429]
    until = timezone.localtime(timezone.now() + timedelta(minutes=settings.AUTH_LOCKOUT_MINUTES))
    locked = answers[-1].content.decode()
    assert f"spärrad till kl. {until:%H:%M}" in locked or f"spärrad till kl. {until - timedelta(minutes=1):%H:%M}" in (
        locked
    )
    # The right password is refused too while it lasts, from another address as well; the token endpoint alike.
    assert _password(client_for(ystad), REMOTE_ADDR="10.0.0.9").status_code == 429
    token = client_for(ystad).post("/api/token/", {"email": EMAIL, "password": TEST_PASSWORD, "code": _code(device)})
    assert token.status_code == 403 and token.json()["code"] == "locked_out"
    # The lockout is this instance's: the same e-mail address signs in at Skåne.
    assert _password(client_for(skane)).status_code == 302
    assert {"sign_in_failed", "locked_out"} <= set(_actions(ystad, user))

    # Expiry: the cool-off after the last failure has passed.
    with tenant_context(ystad):
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - timedelta(minutes=settings.AUTH_LOCKOUT_MINUTES, seconds=1)
        )
    assert _password(client_for(ystad)).status_code == 302


def test_an_address_is_locked_after_failures_for_several_accounts_and_wrong_codes_count(ystad, settings):
    settings.AUTH_LOCKOUT_ADDRESS_FAILURES = 3
    user, device, _codes = _enrolled(ystad)
    for n in range(3):
        _password(client_for(ystad), email=f"gissning{n}@ystad.se", REMOTE_ADDR="10.9.9.9")
    assert _password(client_for(ystad), REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _password(client_for(ystad), REMOTE_ADDR="10.9.9.10").status_code == 302

    # Behind the ingress every request comes from its address: the client's is the one the ingress appended.
    settings.BEHIND_PROXY = True
    proxied = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 10.9.9.9"}
    assert _password(client_for(ystad), **proxied).status_code == 429
    proxied["HTTP_X_FORWARDED_FOR"] = "10.9.9.9, 10.9.9.10"  # what a client claims first does not count
    assert _password(client_for(ystad), **proxied).status_code == 302
    settings.BEHIND_PROXY = False

    # Wrong second-factor codes count for the account: the fifth failure ends the signed-in session too.
    settings.AUTH_LOCKOUT_ADDRESS_FAILURES = 20
    with tenant_context(ystad):
        AccessAttempt.objects.all().delete()
    client = client_for(ystad)
    _password(client)
    wrong = "000000" if _code(device) != "000000" else "111111"
    answers = [client.post("/login/kod/", {"code": wrong}) for _ in range(settings.AUTH_LOCKOUT_ACCOUNT_FAILURES)]
    assert [answer.status_code for answer in answers] == [200] * 4 + [429]
    assert client.get("/api/me/").status_code == 401  # signed out


def test_password_reset_by_email_in_the_persons_language_without_telling_who_has_an_account(
    ystad, django_capture_on_commit_callbacks
):
    user, device, _codes = _enrolled(ystad)
    with tenant_context(ystad):
        User.objects.filter(pk=user.pk).update(language="en")
    signed_in = logged_in_client(ystad, EMAIL)
    token = signed_in.post("/api/token/").json()["token"]

    client = client_for(ystad)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/losenord/aterstall/", {"email": EMAIL.upper()})
        unknown = client.post("/losenord/aterstall/", {"email": "ingen@ystad.se"})
    assert known["Location"] == unknown["Location"] == "/losenord/aterstall/skickat/"
    (message,) = mail.outbox
    assert message.to == [EMAIL] and message.subject == "New password for Backa barnet"
    link = re.search(r"http://ystad\.localhost(/losenord/aterstall/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form.content.decode()
    new = "Ett-helt-nytt-lösen-77"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/losenord/aterstall/klart/"
    assert "Länken går inte att använda" in client_for(ystad).get(link, follow=True).content.decode()  # once only

    # The old password is refused, the new one works and still asks for the code; earlier sessions and tokens end.
    assert _password(client_for(ystad)).status_code == 200
    assert _password(client_for(ystad), password=new)["Location"].startswith("/login/kod/")
    assert signed_in.get("/api/me/").status_code == 401
    assert client_for(ystad).get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert "password_reset" in _actions(ystad, user)


def test_a_session_ends_after_the_idle_time(ystad, settings):
    make_user(ystad, email=EMAIL, role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(ystad, EMAIL)
    assert client.get("/personal/").status_code == 200

    def idle(minutes):
        with tenant_context(ystad):
            session = client.session
            session["last_seen"] = int(time.time()) - minutes * 60
            session.save()

    idle(settings.SESSION_IDLE_MINUTES - 1)
    assert client.get("/personal/").status_code == 200
    idle(settings.SESSION_IDLE_MINUTES + 1)
    expired = client.get("/personal/", follow=True)
    assert expired.redirect_chain[0][0] == "/login/?next=/personal/"
    with translation.override("sv"):
        assert "Du har loggats ut eftersom du inte har använt tjänsten på 30 minuter." in expired.content.decode()


def test_sign_out_everywhere_ends_every_session_and_api_token(ystad):
    user, _device, _codes = _enrolled(ystad)
    laptop, phone = logged_in_client(ystad, EMAIL), logged_in_client(ystad, EMAIL)
    token = phone.post("/api/token/").json()["token"]
    api = client_for(ystad)
    assert api.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200

    assert laptop.post("/konto/logga-ut-overallt/")["Location"] == "/login/"
    assert phone.get("/api/me/").status_code == 401
    assert laptop.get("/api/me/").status_code == 401
    assert api.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    with tenant_context(ystad):
        assert not user.api_tokens.exists()
    # Signing in again works as before.
    assert logged_in_client(ystad, EMAIL).get("/api/me/").json()["email"] == EMAIL
    assert "sign_out_everywhere" in _actions(ystad, user)


def test_an_api_token_is_issued_only_with_the_second_factor(ystad):
    make_user(ystad, email="utan.app@ystad.se", role=User.Role.STAFF)
    refused = client_for(ystad).post("/api/token/", {"email": "utan.app@ystad.se", "password": TEST_PASSWORD})
    assert refused.status_code == 403 and refused.json()["code"] == "strong_auth_required"

    user, device, _codes = _enrolled(ystad)
    api = client_for(ystad)
    no_code = api.post("/api/token/", {"email": EMAIL, "password": TEST_PASSWORD})
    assert no_code.status_code == 400 and list(no_code.json()["errors"]) == ["code"]
    issued = api.post("/api/token/", {"email": EMAIL, "password": TEST_PASSWORD, "code": _code(device)})
    assert issued.status_code == 201
    assert api.get("/api/me/", HTTP_AUTHORIZATION=f"Token {issued.json()['token']}").json()["email"] == EMAIL
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert api.post("/api/token/", {"email": EMAIL, "password": TEST_PASSWORD, "code": wrong}).status_code == 400

    # A session signed in with the password alone gets none either.
    weak = client_for(ystad)
    _password(weak)
    assert weak.post("/api/token/").status_code == 400
    assert weak.get("/api/me/").status_code == 403  # its cookie alone reaches nothing
    assert weak.get("/api/me/", HTTP_AUTHORIZATION=f"Token {issued.json()['token']}").json()["email"] == EMAIL
    assert _actions(ystad, user)[-2:] == ["sign_in", "sign_in_failed"]


def test_a_local_admin_removes_a_colleagues_lost_authenticator(ystad):
    make_user(ystad, email="admin.tva@ystad.se", role=User.Role.LOCAL_ADMIN)
    colleague, _device, _codes = _enrolled(ystad)
    colleague_session = logged_in_client(ystad, EMAIL)
    admin = logged_in_client(ystad, "admin.tva@ystad.se")
    assert admin.post(f"/personal/{colleague.pk}/tvastegsverifiering/")["Location"] == "/personal/"
    assert colleague_session.get("/api/me/").status_code == 401
    client = client_for(ystad)
    _password(client)
    assert client.get("/login/kod/")["Location"].startswith("/login/registrera-app/")
    with tenant_context(ystad):
        assert not TOTPDevice.objects.filter(user=colleague, confirmed=True).exists()
    assert _actions(ystad)[-2:] == ["factor_removed", "sign_out_everywhere"]
