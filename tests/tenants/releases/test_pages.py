"""The authoring, publishing, rollout and adopt pages, and the training pages."""

from modules.accounts.models import User
from modules.model_config.models import ModelItem
from tenants.releases.models import Release
from tenants.releases.selectors import tenant_current_version
from tenants.releases.services import release_publish, tenant_release_pin
from tests.factories import client_for, logged_in_client, make_user, rows_post


def _editor(central):
    make_user(central, email="redaktor@backabarnet.example.se", role=User.Role.CONTENT_EDITOR)
    return logged_in_client(central, "redaktor@backabarnet.example.se")


def test_editor_changes_a_wording_proposes_and_a_coordinator_publishes_with_notes(
    drafts, central, ystad, run_on_commit
):
    with run_on_commit():
        release_publish(notes="Första")
    client = _editor(central)
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="halsa")
    page = client.get(f"/content/items/{item.pk}/")
    assert page.status_code == 200 and 'for="id_name_sv"' in page.content.decode()
    questions = rows_post(
        "guiding_questions",
        [
            {"question_sv": "Hur mår barnet?", "question_en": "How is the child?"},
            {"question_sv": "Sover barnet?", "question_en": "Does the child sleep?"},
        ],
    )
    response = client.post(
        f"/content/items/{item.pk}/",
        {"key": "halsa", "name_sv": "Hälsa och välmående", "name_en": "Healthy",
         "description_sv": item.description_sv, "description_en": item.description_en, **questions},
    )  # fmt: skip
    assert response.status_code == 302
    from tenants.releases.models import ReleaseEvent

    event = ReleaseEvent.objects.get(kind=ReleaseEvent.Kind.DRAFT_CHANGED)
    assert event.detail == {"what": "areas", "key": "halsa", "action": "changed"} and event.actor_id
    preview = client.get("/content/preview/").content.decode()
    assert "Hälsa och välmående" in preview and "<del>Hälsa</del>" in preview
    assert "<ins>Sover barnet?</ins>" in preview
    assert client.post("/content/preview/", {"notes": ""}).status_code == 200  # notes are required
    proposed = client.post("/content/preview/", {"notes": "Ny formulering av hälsa"})
    assert proposed.status_code == 302 and "/releases/proposals/" in proposed["Location"]
    make_user(central, email="samordnare2@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    coordinator = logged_in_client(central, "samordnare2@backabarnet.example.se")
    with run_on_commit():
        published = coordinator.post(proposed["Location"], {"action": "approve", "approve-publish_at": ""})
    assert published.status_code == 302
    rollout = Release.objects.get(version=2).rollouts.get()
    progress = coordinator.get(f"/rollouts/{rollout.pk}/progress.json").json()
    assert progress["progress"]["installed"] >= 1 and progress["progress"]["finished"]
    assert "<progress" in coordinator.get(f"/rollouts/{rollout.pk}/").content.decode()
    assert Release.objects.get(version=2).notes == "Ny formulering av hälsa"


def test_authoring_pages_are_closed_to_staff_and_absent_on_tenant_sites(drafts, central, ystad):
    make_user(ystad, email="admin3@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    assert logged_in_client(ystad, "admin3@ystad.example.se").get("/content/").status_code == 404
    assert client_for(central).get("/content/").status_code == 302  # to the login page


def test_local_admin_sees_what_a_newer_release_changes_and_adopts_it(drafts, central, ystad, run_on_commit):
    with run_on_commit():
        first = release_publish(notes="Första")
    tenant_release_pin(tenant=ystad, release=first)
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="fritid")
    item.name_sv = "Fritid och lek"
    item.save()
    with run_on_commit():
        release_publish(notes="Fritid och lek")
    make_user(ystad, email="admin4@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(ystad, "admin4@ystad.example.se")
    page = client.get("/release/").content.decode()
    assert "Låst till release 1" in page and "Fritid och lek" in page and "<del>Fritid</del>" in page
    assert client.post("/release/", {"action": "pin", "version": "2"}).status_code == 302
    assert tenant_current_version(ystad) == 2


def test_staff_takes_a_lesson_and_passes_its_quiz(drafts, ystad, run_on_commit):
    with run_on_commit():
        release_publish(notes="Första")
    make_user(ystad, email="e@ystad.example.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "e@ystad.example.se")
    assert "Introduktion till Backa barnet" in client.get("/training/").content.decode()
    lesson = client.get("/training/introduktion/principer/").content.decode()
    assert "<h3>Aldrig för tidigt" in lesson and "<legend>" in lesson
    assert "Välj ett svar" in client.post("/training/introduktion/principer/", {}).content.decode()
    response = client.post("/training/introduktion/principer/", {"q0": "0"}, follow=True)
    assert "Godkänt" in response.content.decode()
    assert "1 av 2 lektioner klara" in client.get("/training/").content.decode()


def test_editor_writes_a_course_with_a_lesson_quiz_and_attachment_and_a_wrong_file_is_refused(drafts, central):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from modules.training.models import Course

    client = _editor(central)
    response = client.post(
        "/content/courses/new/",
        {"key": "polis", "title_sv": "Polisens roll", "title_en": "The police", "target_roles": ["staff"]},
    )
    assert response.status_code == 302
    course = Course.objects.get(release__isnull=True, key="polis")
    quiz = rows_post("questions", [{"text_sv": "?", "text_en": "?", "option_1_sv": "a", "option_1_en": "a",
                                    "option_2_sv": "b", "option_2_en": "b", "correct": "2"}])  # fmt: skip
    lesson = {
        "key": "l1",
        "title_sv": "Lektion",
        "title_en": "Lesson",
        "body_sv": "# Rubrik",
        "pass_mark": "1",
        **quiz,
        **rows_post("links", []),
    }
    bad = client.post(
        f"/content/courses/{course.pk}/lessons/new/",
        {**lesson, "attachment": SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")},
    )
    assert bad.status_code == 200 and "inte tillåten" in bad.content.decode()
    assert not course.lessons.exists()  # nothing half-saved
    good = client.post(
        f"/content/courses/{course.pk}/lessons/new/",
        {**lesson, "attachment": SimpleUploadedFile("guide.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    assert good.status_code == 302
    assert course.lessons.get().attachments.get().name == "guide.pdf"
    assert course.lessons.get().quiz["questions"][0]["correct"] == 1
    edit_page = client.get(good["Location"]).content.decode()
    assert "<h2>Rubrik</h2>" in edit_page  # the rendered preview of the lesson
    preview = client.get("/content/preview/").content.decode()
    assert "Polisens roll" in preview


def test_local_admin_adds_a_contact_on_the_resources_page_and_staff_only_read_it(ystad):
    make_user(ystad, email="admin6@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    admin = logged_in_client(ystad, "admin6@ystad.example.se")
    bad = admin.post("/resources/", {"kind": "contact", "title": "BUP", "email": "inte-en-adress"})
    assert bad.status_code == 200 and 'id="id_email_error"' in bad.content.decode()
    assert (
        admin.post("/resources/", {"kind": "contact", "title": "BUP Ystad", "phone": "0411-99 99 99"}).status_code
        == 302
    )
    make_user(ystad, email="h@ystad.example.se", role=User.Role.STAFF)
    staff = logged_in_client(ystad, "h@ystad.example.se")
    page = staff.get("/resources/").content.decode()
    assert "BUP Ystad" in page and '<form method="post" novalidate>' not in page
    assert staff.post("/resources/", {"kind": "contact", "title": "X"}).status_code == 403


def test_refusals_land_beside_their_field_in_english_too(drafts, central):
    """The page used to find the field by searching the message for "Detaljerna" (Swedish only)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from modules.training.models import Course

    client = _editor(central)
    item = ModelItem.objects.get(release__isnull=True, kind="triangle_sides", key="min-omvarld")
    rows = rows_post("sub_areas", [{"key": "a", "name_sv": "bara", "name_en": ""}])
    response = client.post(
        f"/content/items/{item.pk}/",
        {"key": item.key, "name_sv": "X", "name_en": "Y", **rows},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Fyll i" not in html and "Fill in the text." in html
    assert 'id="id_sub_areas-0-name_en_error"' in html

    course = Course.objects.create(key="polis", title_sv="Polisens roll", title_en="The police")
    lesson = {"key": "l1", "title_sv": "Lektion", "title_en": "Lesson", "body_sv": "# Rubrik"}
    too_big = SimpleUploadedFile("guide.pdf", b"%PDF" + b"x" * (2 * 1024 * 1024), content_type="application/pdf")
    html = client.post(
        f"/content/courses/{course.pk}/lessons/new/",
        {**lesson, **rows_post("links", []), **rows_post("questions", []), "attachment": too_big},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Filen" not in html and 'id="id_attachment_error"' in html
