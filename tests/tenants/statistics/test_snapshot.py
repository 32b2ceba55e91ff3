"""The nightly fan-out: each instance's figures reach public as counts only, equal to what its data says."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.casework.meetings import MeetingData, meeting_plan, meeting_record
from modules.casework.models import Meeting
from modules.casework.selectors import release_items, release_scale_levels
from modules.casework.services import (
    RatingData,
    assessment_make,
    concern_acknowledge,
    goal_add,
    plan_start,
)
from modules.children.models import Concern
from modules.model_config.models import ModelItem
from modules.statistics.metrics import compass_metric_key
from modules.statistics.selectors import reported_months
from tenants.statistics.models import SnapshotCell, SnapshotRun
from tenants.statistics.tasks import statistics_snapshot_everywhere


def month(day: date) -> date:
    return day.replace(day=1)


@pytest.fixture
def casework(world, installed):
    """Known data in Ystad: the world's child with its concern acknowledged, assessed twice (one area better,
    one worse), a plan whose goal was reached, and a meeting held with the guardians and the child."""
    today = timezone.localdate()
    first_on = today - timedelta(days=40)
    with tenant_context(world.tenant):
        release = installed
        areas = [item.key for item in release_items(release=release, kind=ModelItem.Kind.AREA)]
        levels = [level["key"] for level in release_scale_levels(release=release)]
        perspective = release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)[0].key
        concern = Concern.objects.get(child=world.child)
        concern_acknowledge(concern=concern, acting_user=world.contact)

        def assess(on, changed, support_level, outcomes=None):
            ratings = [RatingData(area_key=a, level_key=levels[changed.get(a, 2)]) for a in areas]
            assessment_make(
                child=world.child, acting_user=world.contact, assessed_on=on, ratings=ratings,
                perspective_keys=[perspective], participants="Kurator", support_level_key=support_level,
                support_level_reason="Skäl", goal_outcomes=outcomes,
            )  # fmt: skip

        assess(first_on, {}, "barnkontakt-barnteam")
        plan = plan_start(child=world.child, acting_user=world.contact, next_review_on=today + timedelta(days=30))
        goal = goal_add(plan=plan, area_key=areas[0], text="Mål", acting_user=world.contact)
        assess(today, {areas[0]: 0, areas[1]: 3}, "stodsamordnare", {goal.pk: "reached"})
        soon = timezone.now() + timedelta(hours=1)
        meeting = meeting_plan(
            child=world.child, acting_user=world.contact,
            data=MeetingData(
                starts_at=soon, ends_at=soon + timedelta(hours=1), agenda="Plan", place="Skolan",
                staff=[world.team_same_org], guardians=list(world.child.guardians.all()), child_takes_part=True,
            ),
        )  # fmt: skip
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
        meeting.refresh_from_db()  # minutes wait for the meeting to start
        meeting_record(meeting=meeting, minutes="Anteckningar", decisions=[], acting_user=world.contact)
    return {"today": today, "first_on": first_on, "areas": areas, "version": release.version, "concern": concern}


def test_the_fan_out_stores_exactly_the_figures_the_seeded_data_gives(world, skane, casework):
    today, first_on, areas, version = casework["today"], casework["first_on"], casework["areas"], casework["version"]
    this_month = month(today)
    raised = month(timezone.localtime(casework["concern"].raised_at).date())
    support_levels = {
        m: "barnkontakt-barnteam" if m < this_month else "stodsamordnare"
        for m in reported_months(today)
        if m >= month(first_on)
    }
    expected = {
        ("concerns_by_unit_kind", "forskola", raised): 1,
        ("concern_ack_days", "d0_1", raised): 1,
        # The concern was raised today: the first assessment on or after it is today's follow-up.
        ("concern_to_assessment_days", "d0_1", raised): 1,
        **{("children_by_support_level", level, m): 1 for m, level in support_levels.items()},
        ("support_level_moves", "barnkontakt-barnteam__stodsamordnare", this_month): 1,
        ("plans_active", "on_time", this_month): 1,
        ("goal_outcomes", "reached", this_month): 1,
        ("meetings_held", "guardians_and_child", this_month): 1,
        ("consents", "given", month(today - timedelta(days=1))): 1,
        ("organisations_in_teams", "kommun", this_month): 1,
        ("organisations_in_teams", "region", this_month): 1,
        (compass_metric_key(version, areas[0]), "improved", this_month): 1,
        (compass_metric_key(version, areas[1]), "worse", this_month): 1,
        **{(compass_metric_key(version, area), "same", this_month): 1 for area in areas[2:]},
    }

    sent = statistics_snapshot_everywhere.apply().get()

    assert sent == 2
    stored = {
        (cell.metric, cell.category, cell.month): cell.value
        for cell in SnapshotCell.objects.filter(snapshot_on=today, tenant=world.tenant)
    }
    assert stored == expected
    # Region Skåne took part with nothing to count: it is in the cubes, as zeros.
    assert SnapshotRun.objects.get(snapshot_on=today, tenant=skane).cells == 0
    assert not SnapshotCell.objects.filter(snapshot_on=today, tenant=skane).exists()

    # A second run the same day replaces the day's snapshot; nothing is counted twice.
    statistics_snapshot_everywhere.apply().get()
    assert SnapshotCell.objects.filter(snapshot_on=today, tenant=world.tenant).count() == len(expected)


def test_no_column_of_the_snapshot_table_can_hold_a_childs_identifier_or_free_text(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = 'statistics_snapshotcell' ORDER BY column_name"
        )
        columns = {name: (kind, length) for name, kind, length in cursor.fetchall()}
    # Dates, integers and two bounded codes; no text, json or bytes column, and no reference to a child.
    assert columns == {
        "id": ("bigint", None),
        "snapshot_on": ("date", None),
        "tenant_id": ("bigint", None),
        "metric": ("character varying", 100),
        "category": ("character varying", 130),
        "month": ("date", None),
        "value": ("integer", None),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint"
            " WHERE conrelid = 'public.statistics_snapshotcell'::regclass AND contype = 'f'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["tenants_tenant"]

    # The codes are one token starting with a letter: no name with a space, personnummer, date or sentence fits;
    # the month is always the first (a date of birth does not fit), and the count is a number.
    from tenants.models import Tenant

    tenant = Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL).first()
    good = {"snapshot_on": date(2026, 1, 1), "tenant": tenant, "metric": "meetings_held", "month": date(2026, 1, 1)}
    refused = [
        {"category": "Alva Andersson"},
        {"category": "20150312-2380"},
        {"category": "201503122380"},
        {"category": "2015-03-12"},
        {"category": "ledsen och trött"},
        {"category": "x", "metric": "Alva Andersson"},
        {"category": "x", "month": date(2015, 3, 12)},
    ]
    for values in refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            SnapshotCell.objects.create(**{**good, "value": 5, **values})
    SnapshotCell.objects.create(**good, category="guardians", value=5)
