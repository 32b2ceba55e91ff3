"""Barnets plan over time through the API: change and end with a reason, who is responsible, follow-up,
revision and earlier versions, agreement; refusals are 400 with the one error body; no access is 404."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import logged_in_client


def test_the_plan_is_changed_followed_up_revised_and_agreed_over_the_api(world, installed):
    today = timezone.localdate()
    api = logged_in_client(world.tenant, world.coordinator.email)
    base = f"/api/children/{world.child.pk}/plan"

    def call(method, path, body=None):
        return getattr(api, method)(f"{base}{path}", body or {}, content_type="application/json")

    assert call("post", "/", {"next_review_on": (today + timedelta(days=10)).isoformat()}).status_code == 201
    goal = call("post", "/goals/", {"area_key": "halsa", "text": "Äter frukost"}).json()
    refused = call("post", "/actions/", {"what": "Samtal", "responsible_kind": "staff", "due_on": today.isoformat()})
    assert refused.status_code == 400 and set(refused.json()) >= {"detail", "code", "errors"}
    assert "responsible" in refused.json()["errors"]
    action = call(
        "post",
        "/actions/",
        {
            "what": "Samtal",
            "responsible_kind": "staff",
            "responsible_user": world.team_same_org.pk,
            "due_on": today.isoformat(),
            "goal": goal["id"],
        },
    )
    assert action.status_code == 201 and action.json()["responsible"] == "Kurt Kurator", action.content
    action_id = action.json()["id"]
    assert call("patch", f"/goals/{goal['id']}/", {"text": "Äter frukost hemma"}).status_code == 400  # no reason
    changed = call("patch", f"/goals/{goal['id']}/", {"text": "Äter frukost hemma", "reason": "Familjens ord"})
    assert changed.status_code == 200 and changed.json()["text"] == "Äter frukost hemma"
    moved = call("patch", f"/actions/{action_id}/", {"responsible_kind": "guardians", "reason": "Hemma"})
    assert moved.json()["responsible"] == "Vårdnadshavarna" and moved.json()["responsible_user"] is None
    suggested = api.get(f"{base}/").json()["review_suggested_on"]
    assert suggested == (today + timedelta(weeks=12)).isoformat()
    follow_up = call(
        "post",
        "/follow-ups/",
        {
            "held_on": today.isoformat(),
            "outcomes": [{"goal_id": goal["id"], "outcome": "partly"}],
            "next_review_on": suggested,
        },
    )
    assert follow_up.status_code == 201 and follow_up.json()["review_after"] == suggested
    guardian_id = api.get(f"/api/children/{world.child.pk}/").json()["guardians"][0]["id"]
    agreed = call(
        "post",
        "/agreements/",
        {"party": "guardian", "guardian": guardian_id, "agreed_on": today.isoformat(), "method": "meeting"},
    )
    assert agreed.status_code == 201 and api.get(f"{base}/agreements/").json()["state"] == "agreed"
    revised = call("post", "/versions/", {"reason": "Ny termin"})
    assert revised.status_code == 201 and revised.json()["number"] == 1
    plan = api.get(f"{base}/").json()
    assert plan["version"] == 2 and plan["agreement_state"] == "under_revision"
    old = api.get(f"{base}/versions/1/").json()
    assert old["content"]["goals"][0]["text"] == "Äter frukost hemma" and old["content"]["agreement_state"] == "agreed"
    ended = call("post", f"/actions/{action_id}/end/", {"reason": "Inte längre aktuell"})
    assert ended.status_code == 200 and ended.json()["ended_reason"] == "Inte längre aktuell"
    assert call("post", f"/goals/{goal['id']}/end/", {"reason": "Uppnått"}).json()["ended_at"] is not None
    outsider = logged_in_client(world.tenant, world.outsider.email)
    for path in ("/versions/", "/versions/1/", "/agreements/", "/follow-ups/"):
        assert outsider.get(f"{base}{path}").status_code == 404
    assert outsider.post(f"{base}/versions/", {"reason": "x"}, content_type="application/json").status_code == 404
