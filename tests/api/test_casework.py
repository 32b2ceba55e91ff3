"""The API of the process: concern to follow-up over HTTP, clear 4xx answers, the same access rules."""

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from tests.factories import logged_in_client

AREAS = ["trygghet", "tillhorighet", "omsorg", "fritid", "halsa", "utveckling", "att-bli-respekterad", "att-ta-ansvar"]


def assessment(level="3", **extra):
    body = {
        "assessed_on": timezone.localdate().isoformat(),
        "ratings": [{"area_key": key, "level_key": level} for key in AREAS],
        "perspective_keys": ["barnet"],
        "participants": "Karin och Alva",
        "support_level_key": "stodsamordnare",
        "support_level_reason": "Flera verksamheter är inblandade.",
    }
    body.update(extra)
    return body


def test_from_concern_to_followed_up_plan_over_the_api(world, installed):
    base = f"/api/children/{world.child.pk}"
    raiser = logged_in_client(world.tenant, world.raiser.email)
    concern = raiser.post(
        f"{base}/concerns/", {"description": "Ledsen.", "area_keys": ["trygghet"]}, content_type="application/json"
    )
    assert concern.status_code == 201, concern.content
    assert raiser.get(f"{base}/concerns/").status_code == 404  # the raiser sees only their own concern
    contact = logged_in_client(world.tenant, world.contact.email)
    # The world's registration concern and this one both wait for the Barnkontakt.
    assert contact.get("/api/me/attention/").json()[0]["open_concerns"] == 2
    assert contact.post(f"{base}/concerns/{concern.json()['id']}/acknowledge/").status_code == 200
    first = contact.post(f"{base}/assessments/", assessment(), content_type="application/json")
    assert first.status_code == 201 and first.json()["release_version"] == installed.version
    plan = contact.post(
        f"{base}/plan/", {"next_review_on": timezone.localdate().isoformat()}, content_type="application/json"
    )
    assert plan.status_code == 201, plan.content
    goal = contact.post(
        f"{base}/plan/goals/",
        {"area_key": "trygghet", "text": "Känna sig trygg i skolan", "child_words": "Ingen ska retas"},
        content_type="application/json",
    ).json()
    action = contact.post(
        f"{base}/plan/actions/",
        {
            "goal": goal["id"],
            "what": "Rastvakt",
            "responsible_kind": "unit",
            "responsible_unit": world.preschool.pk,
            "due_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert action.status_code == 201, action.content
    follow_up = contact.post(
        f"{base}/assessments/",
        assessment(level="2", goal_outcomes=[{"goal_id": goal["id"], "outcome": "partly"}]),
        content_type="application/json",
    )
    assert follow_up.status_code == 201 and follow_up.json()["is_follow_up"]
    assert contact.get(f"{base}/plan/").json()["goals"][0]["outcome"] == "partly"
    compass = contact.get(f"{base}/compass/").json()
    assert {row["key"]: row["delta"] for row in compass["changes"]}["trygghet"] == -1
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(child_id=world.child.pk, object_type="api-child-compass").exists()


def test_an_assessment_missing_an_area_answers_400_with_the_field(world, installed):
    contact = logged_in_client(world.tenant, world.contact.email)
    body = assessment()
    body["ratings"] = body["ratings"][:3]
    response = contact.post(f"/api/children/{world.child.pk}/assessments/", body, content_type="application/json")
    assert response.status_code == 400 and "ratings" in response.json()["errors"]


def test_someone_without_access_gets_404_from_every_process_endpoint(world, installed):
    outsider = logged_in_client(world.tenant, world.outsider.email)
    for path in ("concerns/", "assessments/", "compass/", "plan/"):
        assert outsider.get(f"/api/children/{world.child.pk}/{path}").status_code == 404


def test_a_meeting_is_planned_and_recorded_over_the_api(world, installed):
    from datetime import timedelta

    from modules.casework.models import Meeting

    contact = logged_in_client(world.tenant, world.contact.email)
    base = f"/api/children/{world.child.pk}"
    contact.post(f"{base}/plan/", {"next_review_on": timezone.localdate().isoformat()}, content_type="application/json")
    starts_at = timezone.now() + timedelta(days=2)
    meeting = contact.post(
        f"{base}/meetings/",
        {
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
            "place": "Skolan",
            "agenda": "Läget",
            "staff": [world.team_region.pk],
        },
        content_type="application/json",
    )
    assert meeting.status_code == 201, meeting.content
    with tenant_context(world.tenant):  # held now: minutes wait for the start
        Meeting.objects.filter(pk=meeting.json()["id"]).update(starts_at=timezone.now() - timedelta(minutes=1))
    recorded = contact.post(
        f"{base}/meetings/{meeting.json()['id']}/record/",
        {
            "minutes": "Bra möte.",
            "decisions": [{"text": "Samtal", "responsible": "BUP Ystad", "due_on": timezone.localdate().isoformat()}],
        },
        content_type="application/json",
    )
    assert recorded.status_code == 200 and recorded.json()["decisions"][0]["action"] is not None
    assert contact.get(f"{base}/plan/").json()["actions"][0]["what"] == "Samtal"


def test_local_admin_sets_the_retention_period_and_staff_cannot(world, installed):
    admin = logged_in_client(world.tenant, world.admin.email)
    assert admin.get("/api/retention/").json() == {"months": 60}
    assert admin.put("/api/retention/", {"months": 24}, content_type="application/json").json() == {"months": 24}
    assert admin.put("/api/retention/", {"months": 0}, content_type="application/json").status_code == 400
    staff = logged_in_client(world.tenant, world.contact.email)
    assert staff.put("/api/retention/", {"months": 1}, content_type="application/json").status_code == 403
