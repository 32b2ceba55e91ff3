"""The process for one child: concern → acknowledgement, assessment, plan, follow-up, closing and gallring."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from modules.audit.models import AuditEntry
from modules.casework.models import CaseClosure, Goal, Plan
from modules.casework.plan_services import Responsible
from modules.casework.selectors import attention_for, closures_past_retention, compass_over_time
from modules.casework.services import (
    CaseworkError,
    RatingData,
    action_add,
    assessment_make,
    case_close,
    concern_acknowledge,
    concern_raise,
    goal_add,
    plan_start,
    retention_cull,
    retention_set,
)
from modules.casework.tasks import send_reminders
from modules.children.models import Child
from modules.chronology.models import Event
from modules.model_config.models import ModelItem
from tenants.releases.services import release_install, release_publish

AREAS = ["trygghet", "tillhorighet", "omsorg", "fritid", "halsa", "utveckling", "att-bli-respekterad", "att-ta-ansvar"]


def ratings(level="2", **overrides):
    return [
        RatingData(area_key=key, level_key=overrides.get(key.replace("-", "_"), level), description="") for key in AREAS
    ]


def assess(world, **kwargs):
    values = {
        "child": world.child,
        "acting_user": world.contact,
        "assessed_on": timezone.localdate(),
        "ratings": ratings(),
        "perspective_keys": ["barnet", "professionell"],
        "participants": "Karin Kontakt, Alva, mamma",
        "support_level_key": "barnkontakt-barnteam",
        "support_level_reason": "Behov inom flera områden.",
    }
    values.update(kwargs)
    return assessment_make(**values)


def test_a_raised_concern_reaches_the_barnkontakt_who_acknowledges_it(
    world, installed, django_capture_on_commit_callbacks
):
    with tenant_context(world.tenant), django_capture_on_commit_callbacks(execute=True):
        concern = concern_raise(
            child=world.child,
            raised_by=world.raiser,
            description="Kommer ofta utan frukost.",
            area_keys=["omsorg", "halsa"],
            urgency="high",
            guardians_informed=False,
        )
    assert concern.routed_to == world.contact
    assert [message.to for message in mail.outbox] == [[world.contact.email]]
    assert "Alva" not in mail.outbox[0].body and f"/barn/{world.child.pk}/" in mail.outbox[0].body
    with tenant_context(world.tenant):
        # The world's registration concern and this one both wait for the Barnkontakt.
        assert [row["open_concerns"] for row in attention_for(user=world.contact)] == [2]
        with pytest.raises(CaseworkError):
            concern_acknowledge(concern=concern, acting_user=world.outsider)
        for waiting in world.child.concerns.all():
            concern_acknowledge(concern=waiting, acting_user=world.contact)
        assert attention_for(user=world.contact)[0]["needs_attention"] is False
        kinds = list(Event.objects.filter(child=world.child).values_list("kind", flat=True))
        assert "concern_acknowledged" in kinds


def test_a_concern_about_an_unknown_area_is_refused(world, installed):
    with tenant_context(world.tenant), pytest.raises(CaseworkError):
        concern_raise(child=world.child, raised_by=world.raiser, description="x", area_keys=["nope"])


def test_an_assessment_needs_every_area_rated_on_the_scale_and_a_reason(world, installed):
    with tenant_context(world.tenant):
        with pytest.raises(CaseworkError) as error:
            assess(world, ratings=ratings()[:7], support_level_reason=" ")
        assert set(error.value.message_dict) == {"ratings", "support_level_reason"}
        assert not world.child.assessments.exists()
        assessment = assess(world)
        assert assessment.release == installed and assessment.ratings.count() == 8


def test_follow_up_marks_goals_and_the_compass_shows_change_since_the_first(world, installed):
    with tenant_context(world.tenant):
        assess(world, assessed_on=timezone.localdate() - timedelta(days=60), ratings=ratings("3"))
        plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=timezone.localdate())
        goal = goal_add(
            plan=plan,
            area_key="halsa",
            text="Äter frukost varje dag",
            child_words="Jag vill orka",
            acting_user=world.coordinator,
        )
        action_add(
            plan=plan,
            what="Frukost i skolan",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=timezone.localdate(),
            goal=goal,
            acting_user=world.coordinator,
        )
        assess(world, ratings=ratings("3", halsa="1"), goal_outcomes={goal.pk: Goal.Outcome.REACHED})
        goal.refresh_from_db()
        assert goal.get_outcome_display() == "Uppnått"
        compass = compass_over_time(child=world.child)
        change = {row["key"]: row["delta"] for row in compass.changes}
        assert change["halsa"] == -2 and change["trygghet"] == 0 and len(compass.series) == 2


def test_an_old_assessment_keeps_its_releases_wording_after_a_new_release(world, installed):
    with tenant_context(world.tenant):
        assessment = assess(world)
    with schema_context("public"):
        ModelItem.objects.filter(release__isnull=True, kind="areas", key="fritid").update(name_sv="Fritid och lek")
        second = release_publish(notes="Ny", start_rollout=False)
    release_install(tenant=world.tenant, release=second)
    with tenant_context(world.tenant):
        assessment.refresh_from_db()
        assert assessment.release.version == installed.version
        names = dict(compass_over_time(child=world.child).areas)
        assert names["fritid"] == "Fritid"
        new = assess(world)
        assert new.release.version == second.version


def test_reminders_go_for_overdue_actions_and_due_reviews_only_once_a_day(world, installed):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=today + timedelta(days=30))
        action_add(
            plan=plan,
            what="Samtal",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=today - timedelta(days=1),
            acting_user=world.coordinator,
        )
        action_add(
            plan=plan,
            what="Läxhjälp",
            responsible=Responsible(kind="unit", unit=world.preschool),
            due_on=today + timedelta(days=5),
            acting_user=world.coordinator,
        )
        assert send_reminders() == 1
        assert mail.outbox[-1].to == [world.coordinator.email]
        assert send_reminders() == 0
        Plan.objects.filter(pk=plan.pk).update(next_review_on=today)
        assert send_reminders() == 1


def test_gallring_removes_only_cases_closed_longer_ago_than_the_period(world, installed):
    with tenant_context(world.tenant):
        assess(world)
        case_close(child=world.child, acting_user=world.contact, reason="Behoven är tillgodosedda.")
        assert retention_cull()["children"] == 0
        counts = retention_cull(now=timezone.now() + timedelta(days=365 * 6))
        assert counts["children"] == 1 and counts["assessments"] == 1
        assert not Child.objects.filter(pk=world.child.pk).exists()
        run = AuditEntry.objects.filter(object_type__startswith="retention:").get()
        assert run.object_id.startswith("1/")


def test_the_retention_period_counts_calendar_months_not_thirty_day_blocks(world):
    with tenant_context(world.tenant):
        retention_set(months=1, acting_user=world.contact)
        closure = case_close(child=world.child, acting_user=world.contact, reason="Flyttat.")
        now = datetime(2027, 3, 31, 12, tzinfo=UTC)
        # One calendar month before 31 March is 28 February: a closure that evening is not yet a month old.
        CaseClosure.objects.filter(pk=closure.pk).update(closed_at=datetime(2027, 2, 28, 18, tzinfo=UTC))
        assert not closures_past_retention(now=now).exists()
        CaseClosure.objects.filter(pk=closure.pk).update(closed_at=datetime(2027, 2, 28, 6, tzinfo=UTC))
        assert closures_past_retention(now=now).get() == closure


def test_a_closed_case_takes_no_new_assessment(world, installed):
    with tenant_context(world.tenant):
        case_close(child=world.child, acting_user=world.contact, reason="Flyttat.")
        with pytest.raises(CaseworkError):
            assess(world)


def test_daily_work_fans_out_only_to_tenants_in_service(ystad, skane):
    from django.conf import settings

    from tenants.models import Tenant
    from tenants.selectors import tenants_ready

    assert {"casework-reminders", "casework-retention"} <= set(settings.CELERY_BEAT_SCHEDULE)
    Tenant.objects.filter(pk=skane.pk).update(status=Tenant.Status.SUSPENDED)
    Tenant.objects.filter(pk=ystad.pk).update(status=Tenant.Status.ACTIVE)
    schemas = list(tenants_ready(in_service=True).values_list("schema_name", flat=True))
    assert ystad.schema_name in schemas and skane.schema_name not in schemas and "public" not in schemas


def test_resilience_and_triangle_notes_are_checked_against_the_release(world, installed):
    with tenant_context(world.tenant):
        with pytest.raises(CaseworkError) as error:
            assess(world, resilience={"barnet": 5}, triangle_notes={"okand": "x"})
        assert set(error.value.message_dict) == {"resilience", "triangle_notes"}
        assessment = assess(world, resilience={"barnet": -1, "miljon": 2}, triangle_notes={"skola": "Trivs i klassen."})
        assert assessment.resilience == {"barnet": -1, "miljon": 2} and assessment.triangle_notes == {
            "skola": "Trivs i klassen."
        }


def test_a_concern_raised_while_registering_reaches_the_barnkontakt(world, installed):
    from modules.children.services import child_register
    from tests.factories import personnummer

    with tenant_context(world.tenant):
        child_register(
            personnummer=world.number,
            given_name="Alva",
            family_name="Andersson",
            acting_user=world.outsider,
            concern="Kom inte till skolan i dag.",
        )
        concern = world.child.concerns.get(description="Kom inte till skolan i dag.")
        assert concern.routed_to == world.contact
    del personnummer
