"""A tenant's events keep codes (the kind, old and new status) and the actor's name, never prose in the
language of whoever caused them; the console shows them in the reader's language."""

from django.db import connection
from django.utils import translation

from modules.accounts.models import User
from tenants.models import TenantEvent
from tenants.services import record_event, tenant_suspend
from tests.factories import logged_in_client, make_user


def test_tenant_events_store_codes_and_read_in_either_language(db, central, ystad):
    coordinator = make_user(central, email="nc-events@example.se", role=User.Role.NATIONAL_COORDINATOR)
    with translation.override("en"):  # written while English is active: nothing English may be stored
        tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Avtalet omförhandlas.")
        record_event(tenant=ystad, kind=TenantEvent.Kind.STATUS_CHANGED, old="suspended", new="suspended")
    suspended = ystad.events.get(kind=TenantEvent.Kind.SUSPENDED)
    assert (suspended.detail["old"], suspended.detail["new"]) == ("active", "suspended")
    connection.set_schema_to_public()
    client = logged_in_client(central, "nc-events@example.se")
    swedish = client.get(f"/konsol/instanser/{ystad.pk}/").content.decode()
    english = client.get(f"/konsol/instanser/{ystad.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Pausad</td>" in swedish and "<td>Status ändrad</td><td>systemet</td>" in swedish
    assert "<td>Suspended</td>" in english and "<td>Status changed</td><td>the system</td>" in english
