"""The daily consent expiry run from beat reaches the tenant with the consent, past tenants without a schema."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.chronology.models import Event
from modules.consent.models import Consent
from tenants.models import Tenant
from tenants.tasks import handle_expired_consents_everywhere


def test_the_daily_run_records_an_expired_consent_and_passes_over_an_archived_tenant(
    world, django_capture_on_commit_callbacks
):
    archived = Tenant(
        schema_name="t_arkiverad", name="Arkiverade kommun", kind=Tenant.Kind.MUNICIPALITY,
        organisation_number="212000-1918", county="M", status=Tenant.Status.ARCHIVED,
    )  # fmt: skip
    archived.auto_create_schema = False
    archived.save()
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        Consent.objects.filter(pk=consent.pk).update(
            given_on=timezone.localdate() - timedelta(days=400), valid_until=timezone.localdate() - timedelta(days=1)
        )

    with django_capture_on_commit_callbacks(execute=True):
        handle_expired_consents_everywhere.apply().get()

    with tenant_context(world.tenant):
        assert world.child.chronology.filter(kind=Event.Kind.CONSENT_EXPIRED).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.team_region.email, world.contact.email])
