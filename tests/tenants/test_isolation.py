"""Two tenants, one model, different rows: every host sees only its own."""

from modules.accounts.models import User
from tests.factories import client_for, logged_in_client, make_user


def test_each_tenant_host_lists_only_its_own_accounts(central, ystad, skane):
    make_user(ystad, email="admin.test@ystad.se", role=User.Role.LOCAL_ADMIN)
    make_user(ystad, email="kurator@ystad.se", role=User.Role.STAFF)
    make_user(skane, email="admin.test@skane.se", role=User.Role.LOCAL_ADMIN)
    make_user(skane, email="bup@skane.se", role=User.Role.STAFF)
    make_user(central, email="nationell@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)

    def emails_seen(tenant, admin_email):
        response = logged_in_client(tenant, admin_email).get("/api/users/")
        assert response.status_code == 200
        return {row["email"] for row in response.json()["results"]}

    ystad_seen = emails_seen(ystad, "admin.test@ystad.se")
    skane_seen = emails_seen(skane, "admin.test@skane.se")
    central_seen = emails_seen(central, "nationell@backabarnet.se")

    assert {"admin.test@ystad.se", "kurator@ystad.se"} <= ystad_seen
    assert not ystad_seen & {"admin.test@skane.se", "bup@skane.se", "nationell@backabarnet.se"}
    assert {"admin.test@skane.se", "bup@skane.se"} <= skane_seen
    assert not skane_seen & {"admin.test@ystad.se", "kurator@ystad.se", "nationell@backabarnet.se"}
    assert "nationell@backabarnet.se" in central_seen
    assert not central_seen & (ystad_seen | skane_seen)


def test_unknown_host_gets_a_clear_404_page(db):
    response = client_for_host("okand.localhost").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Det finns ingen Backa barnet-instans på den här adressen" in body
    assert "Traceback" not in body


def test_tenant_and_central_sites_use_their_own_url_conf(central, ystad):
    assert "nationell plattform" in client_for(central).get("/").content.decode()
    assert "Ystads kommun" in client_for(ystad).get("/").content.decode()


def client_for_host(host):
    from django.test import Client

    return Client(HTTP_HOST=host)
