"""Översikt: the caseload lists the children with an open process that the access decision gives the user,
with what is outstanding, filtered, sorted and paged, each child shown logged; the Barnkontakt's start page
lists what needs them today."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.casework.meetings import MeetingData, meeting_plan
from modules.casework.models import Action, Meeting
from modules.casework.plan_services import Responsible
from modules.casework.services import action_add, concern_raise, plan_start
from modules.children.services import child_register
from modules.overview.selectors import CaseloadFilter, caseload
from tests.factories import logged_in_client, personnummer


@pytest.fixture
def caseload_world(world, installed):
    """The processledare is Barnkontakt for three children with a process (one with an overdue action and a
    review due, one with a concern to acknowledge, one with a plan only) and one child without any process."""
    today = timezone.localdate()
    lead = world.process_lead
    with tenant_context(world.tenant):
        children = {}
        for number, (given, date8) in enumerate(
            [("Ada", "20180101"), ("Bo", "20180202"), ("Cid", "20180303"), ("Dan", "20180404")]
        ):
            children[given] = child_register(
                personnummer=personnummer(date8),
                given_name=given,
                family_name=f"Barn{number}",
                acting_user=lead,
                as_child_contact=True,
                units=[world.preschool],
            ).child
        plan = plan_start(child=children["Ada"], acting_user=lead, next_review_on=today)
        action_add(
            plan=plan,
            what="Läxhjälp",
            responsible=Responsible(kind=Action.ResponsibleKind.GUARDIANS),
            due_on=today - timedelta(days=3),
            acting_user=lead,
        )
        concern_raise(child=children["Bo"], raised_by=world.raiser, description="Trött på morgnarna.")
        plan_start(child=children["Cid"], acting_user=lead, next_review_on=today + timedelta(days=60))
        starts_at = timezone.now() + timedelta(minutes=30)
        meeting = meeting_plan(
            child=children["Cid"],
            acting_user=lead,
            data=MeetingData(
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                place="Skolan",
                agenda="Läget",
                staff=[lead],
            ),
        )
        # Held an hour ago, minutes not written.
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    return world, children


def test_the_caseload_filters_sorts_and_shows_only_children_the_access_decision_gives(caseload_world):
    world, children = caseload_world
    with tenant_context(world.tenant):
        every = caseload(user=world.process_lead, filters=CaseloadFilter())
        assert [child.given_name for child in every] == ["Ada", "Bo", "Cid"]  # Dan has no process
        ada = every[0]
        assert (ada.child_contact_name, ada.overdue_actions, ada.next_review_on) == (
            "Pia Process",
            1,
            timezone.localdate(),
        )
        overdue = caseload(user=world.process_lead, filters=CaseloadFilter(needs=["overdue"]))
        assert [child.given_name for child in overdue] == ["Ada"]
        assert [
            c.given_name for c in caseload(user=world.process_lead, filters=CaseloadFilter(needs=["concerns"]))
        ] == ["Bo"]
        by_review = caseload(user=world.process_lead, filters=CaseloadFilter(sort="review"))
        assert [child.given_name for child in by_review][:2] == ["Ada", "Cid"]
        # The local admin has no relationship with any child: by role alone, none is listed.
        assert not caseload(user=world.admin, filters=CaseloadFilter()).exists()

    client = logged_in_client(world.tenant, world.process_lead.email)
    page = client.get("/oversikt/?needs=overdue&sort=name").content.decode()
    assert "Ada Barn0" in page and "Bo Barn1" not in page and "Pia Process" in page
    with tenant_context(world.tenant):
        listed = set(
            AuditEntry.objects.filter(actor=world.process_lead, action="list").values_list("child_id", flat=True)
        )
    assert children["Ada"].pk in listed and children["Bo"].pk not in listed  # each child shown, and only those

    api = client.get("/api/caseload/?needs=concerns&needs=overdue&sort=overdue&page_size=1").json()
    assert api["count"] == 2 and [row["name"] for row in api["results"]][0] == "Ada Barn0"
    assert client.get("/api/caseload/?sort=nonsense").status_code == 400
    assert logged_in_client(world.tenant, world.contact.email).get("/oversikt/").status_code == 404


def test_the_barnkontakts_start_page_shows_what_needs_them_today(caseload_world):
    world, _children = caseload_world
    page = logged_in_client(world.tenant, world.process_lead.email).get("/").content.decode()
    today = page[page.index("Att göra i dag") :]
    assert "en oro väntar på kvittens" in today and "saknar anteckningar" in today
    assert "insatsen ”Läxhjälp” är försenad" in today and "planen ska följas upp" in today
    assert 'href="/oversikt/"' in page
