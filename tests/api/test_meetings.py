"""The meetings API (api/meetings.py): plan, change, cancel, attendance and the record, each refusal a 400 with
the error body and nothing written; and the assessment draft (api/assessment_drafts.py)."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.casework.models import Meeting
from tests.factories import logged_in_client


def test_a_meeting_through_the_api_from_kallelse_to_record(world, installed, run_on_commit):
    client = logged_in_client(world.tenant, world.contact.email)
    base = f"/api/children/{world.child.pk}/meetings/"
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=2)
    with tenant_context(world.tenant):
        guardian = world.child.guardians.get()
    body = {
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
        "video_link": "https://meet.example.se/x",
        "agenda": "Läget",
        "staff": [world.team_region.pk],
        "guardians": [guardian.pk],
        "others": [{"name": "Kim Berg", "role": "tolk"}],
    }
    with run_on_commit():
        created = client.post(base, body, content_type="application/json")
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert [guest["kind"] for guest in meeting["guests"]] == ["guardian", "other"] and meeting["sequence"] == 0
    url = f"{base}{meeting['id']}/"

    refused = client.post(f"{url}record/", {"minutes": "För tidigt"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_started"
    refused = client.post(f"{url}attendance/", {"present_staff": []}, content_type="application/json")
    assert refused.status_code == 400

    changed = client.put(url, {**body, "place": "Skolan"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["sequence"] == 1 and changed.json()["place"] == "Skolan"
    bad = client.put(url, {**body, "ends_at": body["starts_at"]}, content_type="application/json")
    assert bad.status_code == 400 and "ends_at" in bad.json()["errors"]

    with tenant_context(world.tenant):
        Meeting.objects.filter(pk=meeting["id"]).update(starts_at=timezone.now() - timedelta(minutes=1))
    attended = client.post(
        f"{url}attendance/", {"present_staff": [world.team_region.pk]}, content_type="application/json"
    )
    assert attended.status_code == 200 and attended.json()["participants"][0]["attended"] is True
    recorded = client.post(
        f"{url}record/",
        {"minutes": "Vi gick igenom läget.", "decisions": [{"text": "Läxhjälp"}]},
        content_type="application/json",
    )
    assert recorded.status_code == 400 and "decisions" in recorded.json()["errors"]  # nobody responsible
    cancelled = client.post(f"{url}cancel/", {"reason": "Sjukdom"}, content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"] and cancelled.json()["sequence"] == 2


def test_the_assessment_draft_is_saved_read_and_discarded(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    url = f"/api/children/{world.child.pk}/assessment-draft/"
    assert client.get(url).json() == {"values": {}, "step": 0, "updated_at": None}
    saved = client.put(url, {"values": {"participants": ["Karin"]}, "step": 1}, content_type="application/json")
    assert saved.status_code == 200, saved.content
    client.put(url, {"values": {"level_trygghet": ["2"]}, "step": 2}, content_type="application/json")
    draft = client.get(url).json()
    assert draft["values"] == {"participants": ["Karin"], "level_trygghet": ["2"]} and draft["step"] == 2
    assert client.delete(url).status_code == 204 and client.get(url).json()["values"] == {}
    assert client.put(url, {"values": {"x": "not a list"}}, content_type="application/json").status_code == 400
