"""Gallring at scale (issue 17 §4): closed cases past the period are culled in bounded batches, each its own
transaction with its own record of counts; nothing that should stay is lost: open cases, cases closed within
the period, and every audit entry (those of the culled children included: they have their own retention)."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.casework.models import CaseClosure
from modules.casework.services import case_close, retention_cull
from modules.children.models import Child, Concern, TeamMember
from modules.children.services import child_register
from modules.chronology.models import Event
from modules.consent.models import Consent
from tests.factories import personnummer


def test_gallring_culls_in_batches_and_loses_nothing_that_should_stay(world):
    with tenant_context(world.tenant):
        children = [world.child] + [
            child_register(
                personnummer=personnummer(f"201{n}0101", serial=f"{n}42"),
                given_name=f"Barn{n}",
                family_name="Test",
                acting_user=world.contact,
                as_child_contact=True,
                units=[world.preschool],
            ).child
            for n in range(1, 8)
        ]
        long_ago = timezone.now() - timedelta(days=365 * 7)
        due, recent, still_open = children[:5], children[5], children[6:]
        for child in [*due, recent]:
            case_close(child=child, acting_user=world.contact, reason="Behoven är tillgodosedda.")
        CaseClosure.objects.filter(child__in=due).update(closed_at=long_ago)
        kept = [recent, *still_open]
        kept_rows = {
            "concerns": set(Concern.objects.filter(child__in=kept).values_list("pk", flat=True)),
            "events": set(Event.objects.filter(child__in=kept).values_list("pk", flat=True)),
        }
        assert Consent.objects.filter(child=world.child).exists() and TeamMember.objects.filter(child=world.child)
        log_before = set(AuditEntry.objects.values_list("pk", flat=True))
        due_concerns = Concern.objects.filter(child__in=due).count()
        due_events = Event.objects.filter(child__in=due).count()

        counts = retention_cull(batch_size=2)

        assert (counts["children"], counts["concerns"], counts["events"]) == (5, due_concerns, due_events)
        assert not Child.objects.filter(pk__in=[child.pk for child in due]).exists()
        assert set(Child.objects.filter(pk__in=[child.pk for child in kept]).values_list("pk", flat=True)) == {
            child.pk for child in kept
        }
        assert set(Concern.objects.filter(child__in=kept).values_list("pk", flat=True)) == kept_rows["concerns"]
        assert set(Event.objects.filter(child__in=kept).values_list("pk", flat=True)) == kept_rows["events"]
        assert CaseClosure.objects.filter(child=recent).exists()
        # Every entry of the log is still there, those naming the culled children included.
        assert log_before <= set(AuditEntry.objects.values_list("pk", flat=True))
        # One record of counts per batch (2 + 2 + 1 children), digits only: no name.
        runs = list(AuditEntry.objects.filter(object_type="retention:ch/co/as/pl/ev").order_by("pk"))
        assert [run.object_id.split("/")[0] for run in runs] == ["2", "2", "1"]
        assert all(run.object_id.replace("/", "").isdigit() for run in runs)
        culled = AuditEntry.objects.filter(action="retention", object_type="children.child")
        assert set(culled.values_list("child_id", flat=True)) == {child.pk for child in due}
        assert retention_cull(batch_size=2)["children"] == 0
