"""The release, rollout, model configuration and training endpoints, and their OpenAPI schema."""

import pytest
from django_tenants.utils import schema_context
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from modules.accounts.models import User
from tenants.releases.models import RolloutTarget
from tests.factories import logged_in_client, make_user


@pytest.fixture
def editor_client(central):
    make_user(central, email="redaktor@backabarnet.example.se", role=User.Role.CONTENT_EDITOR)
    client = logged_in_client(central, "redaktor@backabarnet.example.se")
    make_user(central, email="granskare@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    client.coordinator = logged_in_client(central, "granskare@backabarnet.example.se")
    return client


def _publish(editor_client, notes):
    """Four eyes over the API: the editor proposes, a national coordinator approves (published at once)."""
    proposal = editor_client.post("/api/releases/proposals/", {"notes": notes}, content_type="application/json")
    assert proposal.status_code == 201, proposal.content
    return editor_client.coordinator.post(
        f"/api/releases/proposals/{proposal.json()['id']}/approve/", {}, content_type="application/json"
    )


@pytest.mark.parametrize("urlconf", ["api.urls_central", "api.urls_tenant"])
def test_openapi_schema_generates_without_warnings(urlconf):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    assert schema["paths"]
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._warn_cache)


def test_editor_publishes_over_the_api_and_reads_the_rollout(drafts, editor_client, ystad, skane, run_on_commit):
    with run_on_commit():
        response = _publish(editor_client, "Första")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "published" and response.json()["release"] == 1
    assert response.json()["proposed_by"] == "Test Testsson"
    release = editor_client.get("/api/releases/1/").json()
    assert release["diff"]["sections"]["areas"]["added"][0]["key"] == "trygghet"
    own = editor_client.coordinator.post("/api/releases/proposals/", {"notes": "x"}, content_type="application/json")
    assert own.status_code == 400  # nothing changed since release 1
    # Publishing directly, by one person, is no longer an operation of the API.
    direct = editor_client.post("/api/releases/", {"notes": "direkt"}, content_type="application/json")
    assert direct.status_code == 405
    rollouts = editor_client.get("/api/rollouts/").json()["results"]
    detail = editor_client.get(f"/api/rollouts/{rollouts[0]['id']}/").json()
    assert detail["progress"]["installed"] == 2 and detail["progress"]["finished"] is True
    assert {t["state"] for t in detail["targets"]} == {RolloutTarget.State.INSTALLED}


def test_publishing_without_notes_gets_a_clear_400(drafts, editor_client):
    response = editor_client.post("/api/releases/proposals/", {"notes": ""}, content_type="application/json")
    assert response.status_code == 400
    assert "notes" in response.json()["errors"]


def test_local_staff_cannot_reach_the_central_release_api(ystad):
    make_user(ystad, email="anna@ystad.example.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "anna@ystad.example.se")
    assert client.get("/api/releases/").status_code == 404


def test_tenant_reads_its_installed_configuration_and_admin_pins(drafts, editor_client, ystad, run_on_commit):
    with run_on_commit():
        _publish(editor_client, "Första")
    make_user(ystad, email="admin2@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(ystad, "admin2@ystad.example.se")
    configuration = client.get("/api/model-configuration/").json()
    assert configuration["version"] == 1
    assert [i["name_sv"] for i in configuration["items"] if i["kind"] == "areas"][0] == "Trygghet"
    state = client.get("/api/release/").json()
    assert state["current_version"] == 1 and state["follows_latest"] is True
    response = client.put(
        "/api/release/", {"follow_latest": False, "pinned_version": 1}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["pinned_version"] == 1
    assert client.put("/api/release/", {"follow_latest": False}, content_type="application/json").status_code == 400


def test_staff_sees_courses_for_their_role_and_completes_one_by_quiz(drafts, editor_client, ystad, run_on_commit):
    with run_on_commit():
        _publish(editor_client, "Första")
    make_user(ystad, email="bo@ystad.example.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "bo@ystad.example.se")
    courses = client.get("/api/training/courses/").json()
    assert [c["key"] for c in courses] == ["introduktion"]  # the Stödsamordnare course is for process leads
    lessons = client.get("/api/training/courses/introduktion/lessons/").json()
    assert "correct" not in str(lessons)
    for lesson in lessons:
        result = client.post(
            f"/api/training/courses/introduktion/lessons/{lesson['key']}/quiz/",
            {"answers": [0] * len(lesson["questions"])},
            content_type="application/json",
        )
        assert result.json()["passed"] is True
    assert client.get("/api/training/courses/").json()[0]["completed"] is True
    wrong_count = client.post(
        "/api/training/courses/introduktion/lessons/principer/quiz/", {"answers": []}, content_type="application/json"
    )
    assert wrong_count.status_code == 400


def test_local_admin_adds_a_contact_and_a_local_course_which_survive_the_next_release(
    drafts, editor_client, ystad, run_on_commit
):
    with run_on_commit():
        _publish(editor_client, "Första")
    make_user(ystad, email="admin5@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(ystad, "admin5@ystad.example.se")
    contact = client.post(
        "/api/local-resources/",
        {"kind": "contact", "title": "Familjecentralen", "phone": "0411-57 70 00"},
        content_type="application/json",
    )
    assert contact.status_code == 201, contact.content
    assert client.post("/api/local-resources/", {"kind": "contact", "title": "X", "url": "inte-en-länk"},
                       content_type="application/json").status_code == 400  # fmt: skip
    course = client.post(
        "/api/training/local-courses/",
        {"key": "ystad-rutiner", "title_sv": "Rutiner i Ystad", "title_en": "Routines", "target_roles": ["staff"]},
        content_type="application/json",
    )
    assert course.status_code == 201, course.content
    quiz = {"pass_mark": 1, "questions": [{"text": {"sv": "?", "en": "?"},
            "options": [{"sv": "ja", "en": "yes"}, {"sv": "nej", "en": "no"}], "correct": 0}]}  # fmt: skip
    lesson = client.post(
        "/api/training/local-courses/ystad-rutiner/lessons/",
        {"key": "anmalan", "title_sv": "Orosanmälan", "title_en": "Reporting", "body_sv": "Så gör vi.", "quiz": quiz},
        content_type="application/json",
    )
    assert lesson.status_code == 201, lesson.content
    assert (
        client.post(
            "/api/training/local-courses/ystad-rutiner/lessons/",
            {"key": "trasig", "title_sv": "x", "title_en": "x", "quiz": {"pass_mark": 5, "questions": []}},
            content_type="application/json",
        ).status_code
        == 400
    )
    from modules.model_config.models import ModelItem

    with schema_context("public"):  # the test client leaves the connection in the last site's schema
        item = ModelItem.objects.get(release__isnull=True, kind="areas", key="omsorg")
        item.name_sv = "Omsorg och omvårdnad"
        item.save()
    with run_on_commit():
        _publish(editor_client, "Andra")
    assert client.get("/api/model-configuration/").json()["version"] == 2
    assert [r["title"] for r in client.get("/api/local-resources/").json()["results"]] == ["Familjecentralen"]
    make_user(ystad, email="g@ystad.example.se", role=User.Role.STAFF)
    staff = logged_in_client(ystad, "g@ystad.example.se")
    courses = {c["key"]: c for c in staff.get("/api/training/courses/").json()}
    assert set(courses) == {"introduktion", "ystad-rutiner"} and courses["ystad-rutiner"]["lessons"] == 1
    assert staff.post("/api/local-resources/", {"kind": "contact", "title": "Y"},
                      content_type="application/json").status_code == 403  # fmt: skip


def test_retrying_an_installed_tenant_over_the_api_is_a_clear_400(drafts, editor_client, ystad, run_on_commit):
    with run_on_commit():
        _publish(editor_client, "Första")
    rollout = editor_client.get("/api/rollouts/").json()["results"][0]
    target = editor_client.get(f"/api/rollouts/{rollout['id']}/").json()["targets"][0]
    response = editor_client.post(f"/api/rollouts/{rollout['id']}/targets/{target['id']}/retry/")
    assert response.status_code == 400
    assert "misslyckad" in str(response.json())
