"""Demo cases in one tenant, so that its figures mean something: made-up children over the last 20 months with
concerns from different kinds of units, acknowledgements, assessments and follow-ups, plans with goals,
meetings and consents. Built through the services (every row audited, every rule applied); only the dates are
moved back afterwards, since the services stamp "now". Deterministic for a given seed; running it again adds
nothing."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.services import password_generate, user_create
from modules.casework.meetings import MeetingData, meeting_plan, meeting_record
from modules.casework.models import Meeting, Plan
from modules.casework.selectors import release_items, release_scale_levels
from modules.casework.services import (
    RatingData,
    assessment_make,
    concern_acknowledge,
    concern_raise,
    goal_add,
    plan_start,
)
from modules.children.demo import FAMILY_NAMES, FIRST_NAMES, demo_personnummer
from modules.children.models import Child, Concern
from modules.children.services import GuardianData, child_register, team_member_add
from modules.consent.models import Consent
from modules.consent.services import consent_record, consent_withdraw
from modules.model_config.models import ModelItem
from modules.model_config.selectors import installed_release_current
from modules.organisations.models import Organisation, Unit

# Demo children take personnummer from this index on (modules/children/demo.py's children start at 0).
FIRST_INDEX = 3000
UNITS = (
    ("kommun", "Barn- och utbildningsförvaltningen (demo)", "forskola", "Förskolan Linden"),
    ("kommun", "Barn- och utbildningsförvaltningen (demo)", "skola", "Centralskolan"),
    ("region", "Regionen, barnhälsovård (demo)", "bhv", "BVC Centrum"),
    ("region", "Regionen, BUP (demo)", "bup", "BUP Mottagningen"),
    ("polis", "Polisen, lokalpolisområdet (demo)", "polis", "Lokalpolisen"),
)


def _staff(schema_hint: str, unit: Unit, role: str = User.Role.STAFF) -> User:
    email = f"demo.{unit.kind}@{schema_hint}.example.se"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, full_name=f"Demo {unit.get_kind_display()}", role=role, password=password_generate()
        )
        user.unit = unit
        user.save(update_fields=["unit"])
    return user


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def statistics_demo_seed(*, schema_hint: str, children: int = 100, seed: int = 18) -> int:
    """Seed ``children`` demo cases in the current tenant; returns how many were made (0 when seeded before)."""
    release = installed_release_current()
    if release is None:
        return 0
    units = []
    for org_kind, org_name, unit_kind, unit_name in UNITS:
        organisation, _made = Organisation.objects.get_or_create(name=org_name, defaults={"kind": org_kind})
        unit, _made = Unit.objects.get_or_create(
            organisation=organisation, name=unit_name, defaults={"kind": unit_kind}
        )
        units.append(unit)
    preschool, school, bvc, bup, police = units
    contact = _staff(schema_hint, preschool)
    if Child.objects.filter(created_by=contact).exists():
        return 0
    raisers = [_staff(schema_hint, unit) for unit in (preschool, school, bvc, police)]
    psychologist = _staff(schema_hint, bup)
    region = bup.organisation
    areas = [item.key for item in release_items(release=release, kind=ModelItem.Kind.AREA)]
    levels = [level["key"] for level in release_scale_levels(release=release)]
    support_levels = [item.key for item in release_items(release=release, kind=ModelItem.Kind.SUPPORT_LEVEL)]
    perspectives = [item.key for item in release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)][:1]
    # Each tenant its own cases (a seed per tenant): two identical instances would hide each other's figures.
    rng = random.Random(f"{seed}-{schema_hint}")  # noqa: S311 (made-up demo data, not a secret)
    today = timezone.localdate()
    for index in range(children):
        child = child_register(
            personnummer=demo_personnummer(FIRST_INDEX + index),
            given_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            family_name=FAMILY_NAMES[(index // 3) % len(FAMILY_NAMES)],
            acting_user=contact,
            as_child_contact=True,
            guardians=(GuardianData(name="Vårdnadshavare (demo)"),),
            units=[preschool],
        ).child
        raised_on = today - timedelta(days=rng.randint(5, 450))
        concern = concern_raise(child=child, raised_by=rng.choice(raisers), description="Demo: oro.")
        Concern.objects.filter(pk=concern.pk).update(raised_at=_at(raised_on))
        if rng.random() < 0.85:
            concern_acknowledge(concern=concern, acting_user=contact)
            acknowledged = min(
                _at(raised_on) + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 9, 14, 35])), timezone.now()
            )
            Concern.objects.filter(pk=concern.pk).update(acknowledged_at=acknowledged)
        if rng.random() > 0.75:
            continue
        first_on = min(raised_on + timedelta(days=rng.choice([1, 3, 6, 10, 20, 40])), today)
        ratings = {area: rng.randrange(len(levels)) for area in areas}
        level = rng.choices(support_levels, weights=[5, 3, 2][: len(support_levels)])[0]

        def assess(on, ratings, level, outcomes=None, child=child):
            return assessment_make(
                child=child,
                acting_user=contact,
                assessed_on=on,
                ratings=[RatingData(area_key=a, level_key=levels[v]) for a, v in ratings.items()],
                perspective_keys=perspectives,
                participants="Demo",
                support_level_key=level,
                support_level_reason="Demo",
                goal_outcomes=outcomes,
            )

        assess(first_on, ratings, level)
        plan = None
        if level == support_levels[-1] or rng.random() < 0.4:
            plan = plan_start(child=child, acting_user=contact, next_review_on=today + timedelta(days=30))
            Plan.objects.filter(pk=plan.pk).update(next_review_on=today + timedelta(days=rng.randint(-40, 60)))
            for area in rng.sample(areas, 2):
                goal_add(plan=plan, area_key=area, text="Demo: mål.", acting_user=contact)
        if rng.random() < 0.7:
            given_on = first_on
            consent = consent_record(
                child=child,
                acting_user=contact,
                organisations=[region],
                purpose="Demo: samverkan",
                given_on=given_on,
                valid_until=given_on + timedelta(days=rng.choice([90, 180, 365])),
                method=Consent.Method.WRITTEN,
                given_by_guardian=child.guardians.first(),
            )
            if consent.valid_until >= today:
                team_member_add(
                    child=child, user=psychologist, team_role="Psykolog", acting_user=contact, consent=consent
                )
                if rng.random() < 0.15:
                    consent_withdraw(consent=consent, acting_user=contact, reason="Demo")
                else:
                    soon = timezone.now() + timedelta(hours=1)
                    meeting = meeting_plan(
                        child=child,
                        acting_user=contact,
                        data=MeetingData(
                            starts_at=soon,
                            ends_at=soon + timedelta(hours=1),
                            agenda="Demo",
                            place="Skolan",
                            staff=[psychologist],
                            guardians=list(child.guardians.all()[:1]) if rng.random() < 0.85 else [],
                            child_takes_part=rng.random() < 0.5,
                        ),
                    )
                    # Minutes wait for the meeting to start: the demo's meeting took place on a past day.
                    held = _at(min(first_on + timedelta(days=rng.randint(3, 30)), today))
                    Meeting.objects.filter(pk=meeting.pk).update(starts_at=held, ends_at=held + timedelta(hours=1))
                    meeting.refresh_from_db()
                    meeting_record(meeting=meeting, minutes="Demo", decisions=[], acting_user=contact)
                    Meeting.objects.filter(pk=meeting.pk).update(held_at=held)
        follow_on = first_on + timedelta(days=rng.randint(45, 160))
        if follow_on <= today and rng.random() < 0.75:
            moved = {a: max(0, min(len(levels) - 1, v + rng.choice([-1, -1, 0, 0, 1]))) for a, v in ratings.items()}
            new_level = rng.choice([level, level, *support_levels])
            outcomes = {}
            if plan is not None:
                outcomes = {goal.pk: rng.choice(["reached", "partly", "not_reached"]) for goal in plan.goals.all()}
            assess(follow_on, moved, new_level, outcomes or None)
    return children
