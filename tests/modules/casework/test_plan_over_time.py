"""Barnets plan over a year: goals and actions changed and ended (never deleted) with who, when and why; who is
responsible for an action; follow-ups that move the review date on; revisions as readable versions; the
family's agreement; the responsible staff member's start page and reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.casework.models import Action, Goal, PlanAgreement
from modules.casework.plan_selectors import actions_responsible, agreement_state, review_suggestion
from modules.casework.plan_services import (
    Responsible,
    action_edit,
    action_end,
    goal_edit,
    goal_end,
    plan_agreement_record,
    plan_follow_up,
    plan_revise,
)
from modules.casework.responsible import responsible_match
from modules.casework.services import CaseworkError, action_add, assessment_make, goal_add, plan_start
from modules.casework.tasks import send_reminders
from modules.chronology.models import Event
from tests.factories import logged_in_client
from tests.modules.casework.test_process import ratings


def _plan(world, *, review_in=30):
    today = timezone.localdate()
    plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=today + timedelta(review_in))
    goal = goal_add(
        plan=plan,
        area_key="halsa",
        text="Äter frukost varje dag",
        child_words="Jag vill orka",
        acting_user=world.coordinator,
    )
    action = action_add(
        plan=plan,
        what="Samtal varje vecka",
        responsible=Responsible(kind="staff", user=world.team_same_org),
        due_on=today + timedelta(days=7),
        goal=goal,
        acting_user=world.coordinator,
    )
    return plan, goal, action


def test_goals_and_actions_are_changed_and_ended_with_who_when_why_and_what_changed(world, installed):
    with tenant_context(world.tenant):
        plan, goal, action = _plan(world)
        with pytest.raises(CaseworkError) as refused:
            goal_edit(goal=goal, acting_user=world.contact, reason=" ", text="Nytt")
        assert set(refused.value.message_dict) == {"reason"}
        goal_edit(
            goal=goal,
            acting_user=world.contact,
            reason="Alva vill formulera det själv",
            text="Äter frukost fem dagar i veckan",
            child_words="Jag vill orka hela dagen",
        )
        action_edit(
            action=action,
            acting_user=world.contact,
            reason="Kuratorn slutar",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=timezone.localdate() + timedelta(days=14),
        )
        action_end(action=action, acting_user=world.contact, reason="Ersatt av gruppsamtal")
        goal_end(goal=goal, acting_user=world.coordinator, reason="Uppnått och inte längre aktuellt")
        with pytest.raises(CaseworkError):
            action_edit(action=action, acting_user=world.contact, reason="x", what="y")  # ended: kept as it was
        goal.refresh_from_db()
        action.refresh_from_db()
        assert goal.text == "Äter frukost fem dagar i veckan" and goal.ended_reason.startswith("Uppnått")
        assert action.responsible_name == "Elevhälsan" and action.ended_at and action.done_at is None
        assert Goal.objects.filter(pk=goal.pk).exists() and Action.objects.filter(pk=action.pk).exists()
        history = list(plan.changes.order_by("pk"))
        assert [change.code for change in history] == ["goal_changed", "action_changed", "action_ended", "goal_ended"]
        assert history[0].changed_by == world.contact and history[0].reason == "Alva vill formulera det själv"
        assert {row["field"]: row["after"] for row in history[1].changes}["responsible"] == "Elevhälsan"
        assert {row["field"]: row["before"] for row in history[1].changes}["responsible"] == "Kurt Kurator"
        assert not action.changes.filter(code="action_ended").first().changes  # ending changes no field
    page = logged_in_client(world.tenant, world.contact.email).get(f"/barn/{world.child.pk}/kronologi/")
    text = page.content.decode()
    assert "Mål ändrat (mål, barnets egna ord): Äter frukost fem dagar i veckan. Skäl: Alva vill formulera" in text
    assert "Insats ändrad (vem ansvarar, senast): Samtal varje vecka. Skäl: Kuratorn slutar" in text
    assert "Insats avslutad utan att vara klar: Samtal varje vecka. Skäl: Ersatt av gruppsamtal" in text
    english = logged_in_client(world.tenant, world.contact.email).get(
        f"/barn/{world.child.pk}/kronologi/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        "Action changed (responsible, due by): Samtal varje vecka. Reason: Kuratorn slutar" in english.content.decode()
    )


def test_who_is_responsible_is_a_person_a_unit_the_guardians_or_the_child_not_free_text(world, installed):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan, goal, action = _plan(world)
        for responsible in (None, Responsible(kind="someone"), Responsible(kind="unit")):
            with pytest.raises(CaseworkError) as refused:
                action_add(plan=plan, what="x", responsible=responsible, due_on=today, acting_user=world.contact)
            assert set(refused.value.message_dict) == {"responsible"}
        # Only someone who works with the child can carry an action (and see it on their start page).
        with pytest.raises(CaseworkError) as outsider:
            action_add(
                plan=plan,
                what="x",
                responsible=Responsible(kind="staff", user=world.outsider),
                due_on=today,
                acting_user=world.contact,
            )
        assert "arbeta med barnet" in outsider.value.message_dict["responsible"][0]
        guardians = action_add(
            plan=plan,
            what="Frukost hemma",
            responsible=Responsible(kind="guardians"),
            due_on=today,
            acting_user=world.contact,
        )
        child = action_add(
            plan=plan,
            what="Skriva dagbok",
            responsible=Responsible(kind="child"),
            due_on=today,
            acting_user=world.contact,
        )
        assert (guardians.responsible_name, child.responsible_name) == ("Vårdnadshavarna", "Barnet")
        late = action_add(
            plan=plan,
            what="Ringa BUP",
            responsible=Responsible(kind="staff", user=world.team_same_org),
            due_on=today - timedelta(days=3),
            acting_user=world.contact,
        )
        assert [a.pk for a in actions_responsible(user=world.team_same_org)] == [late.pk, action.pk]
        assert list(actions_responsible(user=world.contact)) == []
    home = logged_in_client(world.tenant, world.team_same_org.email).get("/").content.decode()
    assert "Dina insatser" in home and "Ringa BUP" in home and "försenad" in home and "Samtal varje vecka" in home
    with tenant_context(world.tenant):  # each child the start page names is a logged read
        assert AuditEntry.objects.filter(actor=world.team_same_org, action="list", child_id=world.child.pk).exists()
    api = logged_in_client(world.tenant, world.team_same_org.email).get("/api/me/actions/").json()
    assert [(row["what"], row["overdue"]) for row in api] == [("Ringa BUP", True), ("Samtal varje vecka", False)]


def test_free_text_from_before_is_read_as_a_party_only_when_it_names_exactly_one():
    staff = [(1, "Kurt Kurator"), (2, "Bo BUP"), (3, "Karin Kontakt")]
    units = [(10, "Elevhälsan"), (11, "BUP Ystad"), (12, "Förskolan Solrosen")]
    match = lambda text: responsible_match(  # noqa: E731
        text, staff=staff, units=units, child_names=["Alva"], guardian_names=["Maria Andersson"]
    )
    assert match("Elevhälsan") == ("unit", 10)
    assert match("kurt") == ("staff", 1)
    assert match("Kurt Kurator.") == ("staff", 1)
    assert match("Vårdnadshavarna") == ("guardians", None) and match("Maria Andersson") == ("guardians", None)
    assert match("Alva") == ("child", None) and match("barnet") == ("child", None)
    assert match("BUP") is None  # Bo BUP or BUP Ystad: not clear, so the team chooses
    assert match("Skolan") is None and match("") is None


def test_a_follow_up_records_each_goals_outcome_and_moves_the_review_date_the_support_level_suggests(world, installed):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan, goal, _action = _plan(world, review_in=1)
        second = goal_add(plan=plan, area_key="trygghet", text="Trygg på rasten", acting_user=world.contact)
        assert review_suggestion(plan=plan) == today + timedelta(weeks=12)  # no assessment yet: the default
        assessment_make(
            child=world.child,
            acting_user=world.contact,
            assessed_on=today,
            ratings=ratings(),
            perspective_keys=["barnet"],
            participants="Karin",
            support_level_key="stodsamordnare",
            support_level_reason="Flera verksamheter",
        )
        assert review_suggestion(plan=plan) == today + timedelta(weeks=6)  # the release's review_weeks
        with pytest.raises(CaseworkError) as refused:
            plan_follow_up(
                plan=plan,
                acting_user=world.coordinator,
                held_on=today,
                outcomes={goal.pk: "reached"},
                next_review_on=today,
            )
        assert set(refused.value.message_dict) == {"outcomes", "next_review_on"}
        for number, outcomes in enumerate(
            [{goal.pk: "partly", second.pk: "not_reached"}, {goal.pk: "reached", second.pk: "partly"}], start=1
        ):
            plan_follow_up(
                plan=plan,
                acting_user=world.coordinator,
                held_on=today,
                outcomes=outcomes,
                next_review_on=today + timedelta(weeks=6 * number),
            )
        plan.refresh_from_db()
        assert plan.next_review_on == today + timedelta(weeks=12)
        assert [(f.review_before, f.review_after) for f in plan.follow_ups.order_by("pk")] == [
            (today + timedelta(days=1), today + timedelta(weeks=6)),
            (today + timedelta(weeks=6), today + timedelta(weeks=12)),
        ]
        assert dict(plan.goals.values_list("pk", "outcome")) == {goal.pk: "reached", second.pk: "partly"}
        details = [e.detail for e in Event.objects.filter(child=world.child, code="plan_followed_up").order_by("pk")]
        assert details[-1].startswith(f"Planen följd upp {today:%Y-%m-%d}: 1 mål uppnådda, 1 delvis, 0 inte")
    form = logged_in_client(world.tenant, world.coordinator.email).get(f"/barn/{world.child.pk}/plan/folj-upp/")
    page = form.content.decode()
    assert f'value="{today + timedelta(weeks=6):%Y-%m-%d}"' in page and "om 6 veckor" in page


def test_agreement_is_recorded_a_change_asks_for_it_anew_and_a_revision_keeps_the_old_version_readable(
    world, installed
):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan, goal, action = _plan(world)
        guardian = world.child.guardians.get()
        assert agreement_state(plan=plan).code == "not_agreed"
        with pytest.raises(CaseworkError) as refused:
            plan_agreement_record(
                plan=plan, acting_user=world.coordinator, party="guardian", agreed_on=today, method="fax"
            )
        assert set(refused.value.message_dict) == {"guardian", "method"}
        plan_agreement_record(
            plan=plan,
            acting_user=world.coordinator,
            party="child",
            agreed_on=today,
            method=PlanAgreement.Method.MEETING,
        )
        assert agreement_state(plan=plan).code == "partly"
        plan_agreement_record(
            plan=plan,
            acting_user=world.coordinator,
            party="guardian",
            guardian=guardian,
            agreed_on=today,
            method=PlanAgreement.Method.PAPER,
        )
        state = agreement_state(plan=plan)
        assert state.code == "agreed" and {a.name for a in state.valid} == {"Maria Andersson", "Alva Andersson"}
        goal_edit(goal=goal, acting_user=world.coordinator, reason="Tydligare", text="Äter frukost hemma")
        assert agreement_state(plan=plan).code == "changed"  # a SIP plan may not change without approval
        plan_revise(plan=plan, acting_user=world.coordinator, reason="Ny termin")
        plan.refresh_from_db()
        state = agreement_state(plan=plan)
        assert plan.version == 2 and state.code == "under_revision" and state.missing == ["Maria Andersson"]
        action_edit(action=action, acting_user=world.coordinator, reason="Ny termin", what="Samtal varannan vecka")
        plan_agreement_record(
            plan=plan,
            acting_user=world.coordinator,
            party="guardian",
            guardian=guardian,
            agreed_on=today,
            method=PlanAgreement.Method.DIGITAL,
        )
        assert agreement_state(plan=plan).code == "agreed"
        first = plan.versions.get(number=1)
        assert first.content["goals"][0]["text"] == "Äter frukost hemma"
        assert first.content["actions"][0]["what"] == "Samtal varje vecka"
        assert first.content["agreement_state"] == "changed"
    client = logged_in_client(world.tenant, world.coordinator.email)
    old = client.get(f"/barn/{world.child.pk}/plan/version/1/").content.decode()
    assert "version 1" in old and "Samtal varje vecka" in old and "Ny termin" in old and "Samtal varannan" not in old
    process = client.get(f"/barn/{world.child.pk}/process/").content.decode()
    assert "Version 2." in process and "Godkänd av vårdnadshavarna" in process
    assert "Samtal varannan vecka" in process and "Kurt Kurator → Kurt Kurator" not in process
    assert (
        logged_in_client(world.tenant, world.outsider.email).get(f"/barn/{world.child.pk}/plan/version/1/").status_code
        == 404
    )


def test_an_overdue_action_reminds_the_staff_member_responsible_once_a_day(world, installed):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan, _goal, action = _plan(world, review_in=60)
        Action.objects.filter(pk=action.pk).update(due_on=today - timedelta(days=1))
        family = action_add(
            plan=plan,
            what="Frukost hemma",
            responsible=Responsible(kind="guardians"),
            due_on=today - timedelta(days=2),
            acting_user=world.contact,
        )
        ended = action_add(
            plan=plan,
            what="Avslutad",
            responsible=Responsible(kind="staff", user=world.team_region),
            due_on=today - timedelta(days=2),
            acting_user=world.contact,
        )
        action_end(action=ended, acting_user=world.contact, reason="Behövs inte")
        assert send_reminders() == 2
        recipients = sorted(message.to[0] for message in mail.outbox)
        # The kurator for their own action; the Stödsamordnare for the guardians' one; nobody for the ended one.
        assert recipients == sorted([world.team_same_org.email, world.coordinator.email])
        assert all("Alva" not in message.body for message in mail.outbox)
        assert send_reminders() == 0
        family.refresh_from_db()
        assert family.reminded_on == today


def test_the_migration_reads_existing_free_text_and_leaves_what_is_unclear_for_the_team(world, installed):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("modules.casework.migrations.0005_plan_history_versions_agreement")
    with tenant_context(world.tenant):
        plan, _goal, _action = _plan(world)
        due = timezone.localdate()
        unit = Action.objects.create(plan=plan, what="Frukost", responsible="Elevhälsan", due_on=due)
        guardians = Action.objects.create(plan=plan, what="Läxor", responsible="Föräldrarna", due_on=due)
        unclear = Action.objects.create(plan=plan, what="Samtal", responsible="Skolan", due_on=due)
        migration.responsible_from_free_text(apps, None)
        for action in (unit, guardians, unclear):
            action.refresh_from_db()
        assert (unit.responsible_kind, unit.responsible_unit, unit.responsible) == ("unit", world.student_health, "")
        assert guardians.responsible_kind == "guardians"
        assert (unclear.responsible_kind, unclear.responsible_name) == ("", "Skolan")
    page = logged_in_client(world.tenant, world.coordinator.email).get(f"/barn/{world.child.pk}/process/")
    assert "Välj ansvarig (tidigare: Skolan)" in page.content.decode()


def test_the_plan_pages_have_labelled_controls_and_one_heading(world, installed):
    from tests.modules.test_accessibility import _Page

    with tenant_context(world.tenant):
        plan, goal, action = _plan(world)
        plan_revise(plan=plan, acting_user=world.coordinator, reason="Ny termin")
    client = logged_in_client(world.tenant, world.coordinator.email)
    base = f"/barn/{world.child.pk}"
    for path in (
        "/process/",
        f"/plan/mal/{goal.pk}/andra/",
        f"/plan/mal/{goal.pk}/avsluta/",
        "/plan/insats/",
        f"/plan/insats/{action.pk}/andra/",
        f"/plan/insats/{action.pk}/avsluta/",
        "/plan/folj-upp/",
        "/plan/revidera/",
        "/plan/godkannande/",
        "/plan/version/1/",
    ):
        response = client.get(base + path)
        assert response.status_code == 200, path
        page = _Page()
        page.feed(response.content.decode())
        assert page.h1 == 1 and page.lang == "sv", path
        for control in page.controls:
            assert control.get("id") in page.labels or control.get("aria-label"), (path, control)
    assert client.get("/mitt-telefonnummer/").status_code == 200
