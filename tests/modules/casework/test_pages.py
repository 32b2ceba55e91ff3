"""The pages of the process: the child's page with the compass, forms with errors tied to fields, the start page."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.casework.models import Assessment
from modules.casework.plan_services import Responsible
from modules.casework.services import action_add, plan_start
from modules.children.models import Concern
from tests.factories import logged_in_client

AREAS = ["trygghet", "tillhorighet", "omsorg", "fritid", "halsa", "utveckling", "att-bli-respekterad", "att-ta-ansvar"]


def assessment_post(level="2", **extra):
    data = {f"level_{key}": level for key in AREAS}
    data.update(
        assessed_on=timezone.localdate().isoformat(),
        perspective_keys=["barnet", "vardnadshavare"],
        participants="Karin, Alva, Maria",
        support_level_key="barnkontakt-barnteam",
        support_level_reason="Flera områden behöver stöd.",
    )
    data.update(extra)
    return data


def test_barnkontakt_assesses_and_the_childs_page_shows_an_accessible_compass(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    form = client.get(f"/barn/{world.child.pk}/bedomning/?steg=2").content.decode()
    assert 'for="id_level_trygghet"' in form and "Trygghet" in form
    response = client.post(f"/barn/{world.child.pk}/bedomning/", assessment_post(level="3"))
    assert response.status_code == 302
    client.post(f"/barn/{world.child.pk}/bedomning/", assessment_post(level="2", level_halsa="1"))
    page = client.get(f"/barn/{world.child.pk}/").content.decode()
    assert 'role="img"' in page and '<title id="compass-title">' in page and "<desc" in page
    assert "-2 (bättre)" in page and "<table>" in page
    with tenant_context(world.tenant):
        assert Assessment.objects.filter(child=world.child).count() == 2
        before = AuditEntry.objects.filter(child_id=world.child.pk, object_type="casework-process").count()
    client.get(f"/barn/{world.child.pk}/process/")
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(child_id=world.child.pk, object_type="casework-process").count() == before + 1


def test_an_incomplete_assessment_tells_which_field_and_saves_nothing(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    data = assessment_post(support_level_reason="")
    del data["level_fritid"]
    page = client.post(f"/barn/{world.child.pk}/bedomning/", data).content.decode()
    # The first step with something to correct is shown; the summary leads to the other one.
    assert 'id="id_level_fritid_error"' in page and 'aria-current="step"' in page
    assert f'href="/barn/{world.child.pk}/bedomning/?steg=5#id_support_level_reason"' in page
    with tenant_context(world.tenant):
        assert not Assessment.objects.filter(child=world.child).exists()


def test_a_staff_member_raises_a_concern_and_the_barnkontakts_start_page_lists_it(world, installed):
    raiser = logged_in_client(world.tenant, world.raiser.email)
    page = raiser.get(f"/barn/{world.child.pk}/oro/").content.decode()
    assert "Vad hindrar barnets välbefinnande?" in page
    response = raiser.post(
        f"/barn/{world.child.pk}/oro/",
        {"description": "Trött och hungrig.", "area_keys": ["halsa"], "urgency": "high", "guardians_informed": "no"},
    )
    assert response.status_code == 302
    contact = logged_in_client(world.tenant, world.contact.email)
    home = contact.get("/").content.decode()
    assert "Alva Andersson" in home and 'class="attention">2<' in home
    with tenant_context(world.tenant):
        concern = Concern.objects.get(description="Trött och hungrig.")
    process = contact.get(f"/barn/{world.child.pk}/process/").content.decode()
    assert "Ej kvitterad" in process
    contact.post(f"/barn/{world.child.pk}/oro/{concern.pk}/kvittera/")
    assert "Kvitterad av Karin Kontakt" in contact.get(f"/barn/{world.child.pk}/process/").content.decode()


def test_overdue_actions_are_highlighted_on_the_plan(world, installed):
    with tenant_context(world.tenant):
        plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=timezone.localdate())
        action_add(
            plan=plan,
            what="Samtal med kurator",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=timezone.localdate() - timedelta(days=2),
            acting_user=world.coordinator,
        )
    page = logged_in_client(world.tenant, world.coordinator.email).get(f"/barn/{world.child.pk}/process/")
    assert 'class="overdue"' in page.content.decode() and "Försenad" in page.content.decode()


def test_someone_who_only_raised_a_concern_cannot_open_the_process(world, installed):
    client = logged_in_client(world.tenant, world.raiser.email)
    assert client.get(f"/barn/{world.child.pk}/process/").status_code == 404
    assert client.get(f"/barn/{world.child.pk}/bedomning/").status_code == 404


def test_the_plan_prints_as_a_swedish_pdf_and_the_printout_is_logged_as_an_export(world, installed):
    from modules.casework.services import goal_add

    with tenant_context(world.tenant):
        plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=timezone.localdate())
        goal_add(
            plan=plan,
            area_key="halsa",
            text="Äter frukost – varje dag",
            child_words="Jag vill orka",
            acting_user=world.coordinator,
        )
    client = logged_in_client(world.tenant, world.coordinator.email)
    response = client.get(f"/barn/{world.child.pk}/plan/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(
            child_id=world.child.pk, action="export", object_type="casework.plan_pdf"
        ).exists()


def test_the_registerutdrag_includes_the_process_in_the_wording_it_was_made_with(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    client.post(f"/barn/{world.child.pk}/bedomning/", assessment_post(level="3"))
    document = client.get(f"/api/children/{world.child.pk}/export/").json()
    ratings = document["casework"]["assessments"][0]["ratings"]
    assert {row["area"] for row in ratings} >= {"Trygghet", "Hälsa"}
    assert document["casework"]["concerns"][0]["description"].startswith("Alva verkar ledsen")


def test_local_admin_sets_the_retention_period_on_a_page_and_staff_cannot_reach_it(world, installed):
    from modules.casework.selectors import retention_months

    admin = logged_in_client(world.tenant, world.admin.email)
    assert 'href="/gallring/"' in admin.get("/").content.decode(), "reachable from the menu"
    assert 'href="/gallring/"' not in logged_in_client(world.tenant, world.contact.email).get("/").content.decode()
    assert 'value="60"' in admin.get("/gallring/").content.decode()
    assert 'id="id_months_error"' in admin.post("/gallring/", {"months": "0"}).content.decode()
    assert admin.post("/gallring/", {"months": "36"}).status_code == 302
    with tenant_context(world.tenant):
        assert retention_months() == 36
    assert logged_in_client(world.tenant, world.contact.email).get("/gallring/").status_code == 404
