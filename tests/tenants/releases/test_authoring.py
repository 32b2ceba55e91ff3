"""Authoring without JSON: the structured editors, their previews, the readable diff and four-eyes publishing."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from modules.accounts.models import User
from modules.model_config.models import ModelItem
from modules.training.models import Course, Lesson
from tenants.releases.models import Release, ReleaseProposal
from tenants.releases.services import (
    ReleaseError,
    release_proposal_approve,
    release_propose,
    release_publish,
)
from tenants.releases.tasks import release_proposals_publish_due_task
from tests.factories import logged_in_client, make_user, rows_post


def _signed_in(central, email, role=User.Role.CONTENT_EDITOR, name="Test Testsson"):
    user = make_user(central, email=email, role=role, full_name=name)
    return user, logged_in_client(central, email)


def _item_post(item, **fields):
    return {
        "key": item.key,
        "name_sv": item.name_sv,
        "name_en": item.name_en,
        "description_sv": item.description_sv,
        "description_en": item.description_en,
        **fields,
    }


def test_area_questions_are_edited_in_both_languages_at_once_reordered_removed_and_previewed(drafts, central):
    _user, client = _signed_in(central, "red1@backabarnet.example.se")
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="fritid")
    page = client.get(f"/content/items/{item.pk}/").content.decode()
    # Each question is one row with its Swedish and English text side by side; no JSON anywhere.
    assert (
        'value="Vad gör barnet på sin fritid?"' in page and 'value="What does the child do in their free time?"' in page
    )
    assert "JSON" not in page and 'src="/static/js/rows.js"' in page
    first, second = item.details["guiding_questions"]
    response = client.post(
        f"/content/items/{item.pk}/",
        _item_post(
            item,
            **rows_post(
                "guiding_questions",
                [
                    {"question_sv": first["sv"], "question_en": first["en"], "ORDER": "3"},
                    {"question_sv": second["sv"], "question_en": second["en"], "DELETE": "on"},
                    {"question_sv": "Har barnet någon att leka med?", "question_en": "Does the child have playmates?",
                     "ORDER": "1"},
                    {"question_sv": "", "question_en": ""},  # the blank row, left as it was
                ],
                initial=2,
            ),
        ),
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.details == {
        "guiding_questions": [
            {"sv": "Har barnet någon att leka med?", "en": "Does the child have playmates?"},
            {"sv": first["sv"], "en": first["en"]},
        ]
    }
    page = client.get(response["Location"]).content.decode()
    # The preview: the area as staff meet it in an assessment, in Swedish and in English.
    sv = page.split('<section lang="sv"')[1].split("</section>")[0]
    en = page.split('<section lang="en"')[1].split("</section>")[0]
    assert "Fritid: skattning" in sv and "Har barnet någon att leka med?" in sv and "Fungerar bra" in sv
    assert "Active: rating" in en and "Does the child have playmates?" in en and "Going well" in en


def test_schema_errors_land_at_the_row_and_field_they_concern_and_nothing_is_saved(drafts, central):
    _user, client = _signed_in(central, "red2@backabarnet.example.se")
    area = ModelItem.objects.get(release__isnull=True, kind="areas", key="halsa")
    rows = rows_post("guiding_questions", [{"question_sv": "Hur mår barnet?", "question_en": "How is the child?"},
                                           {"question_sv": "Sover barnet?", "question_en": ""}])  # fmt: skip
    html = client.post(f"/content/items/{area.pk}/", _item_post(area, name_sv="Hälsa ny", **rows)).content.decode()
    assert 'id="id_guiding_questions-1-question_en_error"' in html and "Fyll i texten." in html
    assert 'aria-describedby="id_guiding_questions-1-question_en_error"' in html
    assert 'href="#id_guiding_questions-1-question_en">Fråga 2, Fråga (engelska): Fyll i texten.' in html
    area.refresh_from_db()
    assert area.name_sv == "Hälsa"

    scale = ModelItem.objects.get(release__isnull=True, kind="rating_scales")
    one_level = rows_post("levels", [{"key": "Ett A", "label_sv": "Bra", "label_en": "Good", "meaning_sv": "x",
                                      "meaning_en": "x"}])  # fmt: skip
    html = client.post(f"/content/items/{scale.pk}/", _item_post(scale, **one_level)).content.decode()
    assert 'id="id_levels-0-key_error"' in html and "Nyckeln får bara ha små bokstäver" in html
    assert 'id="levels-errors"' in html and "Det behövs minst 2 rader." in html
    scale.refresh_from_db()
    assert len(scale.details["levels"]) == 4

    axis = ModelItem.objects.filter(release__isnull=True, kind="resilience_axes").first()
    poles = {"low_sv": "Sårbarhet", "low_en": "", "high_sv": "Motståndskraft", "high_en": "Resilience"}
    html = client.post(f"/content/items/{axis.pk}/", _item_post(axis, **poles)).content.decode()
    assert 'id="id_low_en_error"' in html
    poles["low_en"] = "Vulnerability"
    assert client.post(f"/content/items/{axis.pk}/", _item_post(axis, **poles)).status_code == 302
    axis.refresh_from_db()
    assert axis.details == {"low": {"sv": "Sårbarhet", "en": "Vulnerability"},
                            "high": {"sv": "Motståndskraft", "en": "Resilience"}}  # fmt: skip


def _lesson_post(**overrides):
    data = {
        "key": "samtal",
        "title_sv": "Samtal med barn",
        "title_en": "Talking with children",
        "body_sv": "## Att lyssna",
        "body_en": "## Listening",
        "video_url": "https://video.example.se/samtal",
        "transcript_sv": "Hej och välkommen.",
        "transcript_en": "Hello and welcome.",
        "pass_mark": "1",
        **rows_post("links", [{"title_sv": "Barnkonventionen", "title_en": "The UNCRC",
                               "url": "https://www.barnombudsmannen.se/"}]),
        **rows_post("questions", [{
            "text_sv": "Vem är barnets kontakt?", "text_en": "Who is the child's contact?",
            "option_1_sv": "Barnkontakten", "option_1_en": "The Named Person",
            "option_3_sv": "Polisen", "option_3_en": "The police",
            "correct": "1",
            "explanation_sv": "Barnkontakten finns i barnets vardag.",
            "explanation_en": "The Named Person is in the child's everyday life.",
        }]),
    }  # fmt: skip
    data.update(overrides)
    return data


def test_lesson_editor_round_trips_quiz_links_and_video_and_previews_it_as_staff_see_it(drafts, central):
    _user, client = _signed_in(central, "red3@backabarnet.example.se")
    course = Course.objects.get(release__isnull=True, key="introduktion")
    response = client.post(f"/content/courses/{course.pk}/lessons/new/", _lesson_post())
    assert response.status_code == 302
    lesson = Lesson.objects.get(course=course, key="samtal")
    assert lesson.quiz == {
        "pass_mark": 1,
        "questions": [{
            "text": {"sv": "Vem är barnets kontakt?", "en": "Who is the child's contact?"},
            "options": [{"sv": "Barnkontakten", "en": "The Named Person"}, {"sv": "Polisen", "en": "The police"}],
            "correct": 0,
            "explanation": {"sv": "Barnkontakten finns i barnets vardag.",
                            "en": "The Named Person is in the child's everyday life."},
        }],
    }  # fmt: skip
    assert lesson.links == [{"title": {"sv": "Barnkonventionen", "en": "The UNCRC"},
                             "url": "https://www.barnombudsmannen.se/"}]  # fmt: skip
    assert (lesson.video_url, lesson.transcript_en) == ("https://video.example.se/samtal", "Hello and welcome.")
    page = client.get(response["Location"]).content.decode()
    # Back in the editor as rows (the empty third option is gone, the right answer follows its option).
    assert (
        'value="Polisen"' in page
        and 'name="questions-0-correct" value="1" id="id_questions-0-correct_0" checked' in page
    )
    en = page.split('<section lang="en"')[1].split("</section>")[0]
    assert "<h3>Listening</h3>" in en and "Who is the child&#x27;s contact?" in en and "The police" in en
    assert "Hello and welcome." in en and "The Named Person is in the child&#x27;s everyday life." in en
    assert "The UNCRC" in en

    # Every refusal at its field: a video without transcript, the right answer on an empty option.
    html = client.post(
        response["Location"], _lesson_post(transcript_en="", **{"questions-0-correct": "2"})
    ).content.decode()
    assert 'id="id_transcript_en_error"' in html and 'id="id_questions-0-correct_error"' in html
    assert "Välj rätt svar bland de ifyllda alternativen." in html
    lesson.refresh_from_db()
    assert lesson.transcript_en == "Hello and welcome."


def test_a_local_admin_authors_a_course_with_the_same_editors_and_it_survives_a_release(
    drafts, central, ystad, run_on_commit
):
    with run_on_commit():
        release_publish(notes="Första")
    make_user(ystad, email="admin-lokal@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    admin = logged_in_client(ystad, "admin-lokal@ystad.example.se")
    assert admin.get("/training/local/").status_code == 200
    response = admin.post(
        "/training/local/courses/new/",
        {"key": "ystad-rutiner", "title_sv": "Ystads rutiner", "title_en": "Ystad's routines",
         "target_roles": ["staff"], "required": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    course = Course.objects.get(key="ystad-rutiner")
    lesson_page = admin.post(f"/training/local/courses/{course.pk}/lessons/new/", _lesson_post())
    assert lesson_page.status_code == 302 and lesson_page["Location"].startswith("/training/local/")
    # A newer release is installed; the municipality's own course is untouched.
    connection.set_schema_to_public()
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="fritid")
    item.name_sv = "Fritid och lek"
    item.save()
    with run_on_commit():
        release_publish(notes="Andra")
    make_user(ystad, email="personal-lokal@ystad.example.se", role=User.Role.STAFF)
    staff = logged_in_client(ystad, "personal-lokal@ystad.example.se")
    assert "Ystads rutiner" in staff.get("/training/").content.decode()
    assert staff.get("/training/local/").status_code == 403  # staff do not author
    assert "Who" not in staff.get("/training/ystad-rutiner/samtal/").content.decode()
    assert "Vem är barnets kontakt?" in staff.get("/training/ystad-rutiner/samtal/").content.decode()


def test_the_diff_reads_as_sentences_with_old_and_new_text_and_attachments_by_name(drafts, central, run_on_commit):
    with run_on_commit():
        release_publish(notes="Första")
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="fritid")
    item.details["guiding_questions"].append({"sv": "Rör sig barnet?", "en": "Does the child move?"})
    item.details["guiding_questions"][1]["en"] = "Which activities are out of reach?"
    item.save()
    from modules.training.services import attachment_add

    lesson = Lesson.objects.get(course__release__isnull=True, course__key="introduktion", key="principer")
    attachment_add(lesson=lesson, name="Översikt.pdf", content_type="application/pdf", data=b"%PDF-1.4 x")
    _user, client = _signed_in(central, "red4@backabarnet.example.se")
    page = client.get("/content/preview/").content.decode()
    assert "Fritid › Vägledande frågor › fråga 2 (engelska): ändrad" in page
    assert "<del>Are there activities the child wants to join but cannot?</del>" in page
    assert "<ins>Which activities are out of reach?</ins>" in page
    assert "Fritid › Vägledande frågor › fråga 3 (svenska): tillagd" in page
    assert "lektion principer › Bilagor › Översikt.pdf: tillagd" in page
    assert "sha256" not in page and "details." not in page
    # Diffs stored by older releases (an attachment as its parts) read in words too.
    from tenants.releases.bundle import change_path_words

    assert change_path_words("lessons[principer].attachments[a.v2.pdf].sha256") == (
        "lektion principer › Bilagor › a.v2.pdf › innehåll"
    )


def test_four_eyes_an_editor_proposes_and_another_person_a_coordinator_approves(drafts, central, ystad, run_on_commit):
    editor, editor_client = _signed_in(central, "red5@backabarnet.example.se", name="Rita Redaktör")
    coordinator, coordinator_client = _signed_in(
        central, "sam5@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR, name="Sam Samordnare"
    )
    response = editor_client.post("/content/preview/", {"notes": "Första releasen"})
    assert response.status_code == 302
    proposal = ReleaseProposal.objects.get()
    # The editor can neither approve their own proposal nor, as an editor, anyone's.
    page = editor_client.get(response["Location"]).content.decode()
    assert "Godkänn" not in page and "Du föreslog releasen själv" in page
    refused = editor_client.post(response["Location"], {"action": "approve", "approve-publish_at": ""})
    assert refused.status_code == 200 and not Release.objects.exists()
    # Nor may a coordinator approve what they proposed themselves (of drafts changed since, not a duplicate).
    ModelItem.objects.filter(release__isnull=True, kind="areas", key="fritid").update(name_sv="Fritid och lek")
    own = release_propose(notes="Eget förslag", acting_user=coordinator)
    try:
        release_proposal_approve(proposal=own, acting_user=coordinator)
    except ReleaseError as error:
        assert error.code == "four_eyes"
    else:
        raise AssertionError("a proposer approved their own release")
    assert "Godkänn" in coordinator_client.get(response["Location"]).content.decode()
    with run_on_commit():
        approved = coordinator_client.post(response["Location"], {"action": "approve", "approve-publish_at": ""})
    assert approved.status_code == 302
    release = Release.objects.get()
    assert (release.proposed_by, release.published_by) == (editor, coordinator)
    assert release.notes == "Första releasen" and release.rollouts.exists()
    proposal.refresh_from_db()
    assert proposal.state == ReleaseProposal.State.PUBLISHED and proposal.release == release
    detail = coordinator_client.get(f"/releases/{release.version}/").content.decode()
    assert "Rita Redaktör" in detail and "Sam Samordnare" in detail


def test_a_release_scheduled_for_a_date_is_announced_to_pinned_tenants_and_published_by_the_beat_task(
    drafts, central, ystad, run_on_commit
):
    from tenants.releases.services import tenant_release_pin

    with run_on_commit():
        first = release_publish(notes="Första")
    tenant_release_pin(tenant=ystad, release=first)
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="halsa")
    item.name_sv = "Hälsa och välmående"
    item.save()
    editor = make_user(central, email="red6@backabarnet.example.se", role=User.Role.CONTENT_EDITOR)
    coordinator = make_user(central, email="sam6@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    proposal = release_propose(notes="Hälsa får ett nytt namn", acting_user=editor)
    release_proposal_approve(proposal=proposal, acting_user=coordinator, publish_at=timezone.now() + timedelta(days=3))
    proposal.refresh_from_db()
    assert proposal.state == ReleaseProposal.State.SCHEDULED and Release.objects.count() == 1
    assert release_proposals_publish_due_task.apply().get() == []  # not yet
    make_user(ystad, email="admin-plan@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    page = logged_in_client(ystad, "admin-plan@ystad.example.se").get("/release/").content.decode()
    assert "Kommande releaser" in page and "Hälsa får ett nytt namn" in page and "Er instans är låst" in page

    connection.set_schema_to_public()  # where beat's tasks run
    ReleaseProposal.objects.filter(pk=proposal.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    with run_on_commit():
        assert release_proposals_publish_due_task.apply().get() == [proposal.pk]
    release = Release.objects.get(version=2)
    assert (release.proposed_by, release.published_by) == (editor, coordinator)
    assert release.notes == "Hälsa får ett nytt namn"
    assert release_proposals_publish_due_task.apply().get() == []  # once


def test_a_proposal_overtaken_by_another_release_is_not_published_over_it(drafts, central, run_on_commit):
    editor = make_user(central, email="red7@backabarnet.example.se", role=User.Role.CONTENT_EDITOR)
    coordinator = make_user(central, email="sam7@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    proposal = release_propose(notes="Förslag", acting_user=editor)
    with run_on_commit():
        release_publish(notes="Kom före")
    try:
        release_proposal_approve(proposal=proposal, acting_user=coordinator)
    except ReleaseError as error:
        assert "har publicerats sedan förslaget gjordes" in " ".join(error.messages)
    else:
        raise AssertionError("an overtaken proposal was published")
    assert Release.objects.count() == 1


def test_an_attachment_downloads_with_its_real_name_and_type(ystad):
    from django_tenants.utils import tenant_context

    from modules.training.services import attachment_add, course_save, lesson_save

    with tenant_context(ystad):
        course = course_save(
            key="bilagor", title_sv="Bilagor", title_en="Files", target_roles=["staff"], required=False
        )
        lesson = lesson_save(course=course, key="l1", title_sv="L", title_en="L")
        pdf = attachment_add(lesson=lesson, name="Översikt 2026.pdf", content_type="application/pdf", data=b"%PDF-1")
        text = attachment_add(lesson=lesson, name="rutin", content_type="text/plain", data=b"Rutin")
    make_user(ystad, email="nedladdning@ystad.example.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "nedladdning@ystad.example.se")
    response = client.get(f"/training/attachments/{pdf.pk}/")
    assert response["Content-Type"] == "application/pdf" and response.content == b"%PDF-1"
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''%C3%96versikt%202026.pdf")
    response = client.get(f"/training/attachments/{text.pk}/")
    assert (
        response["Content-Type"] == "text/plain"
        and response["Content-Disposition"] == 'attachment; filename="rutin.txt"'
    )


def test_uploaded_file_keeps_its_name_through_the_editor(drafts, central):
    _user, client = _signed_in(central, "red8@backabarnet.example.se")
    course = Course.objects.get(release__isnull=True, key="introduktion")
    lesson = Lesson.objects.get(course=course, key="principer")
    upload = SimpleUploadedFile("Handbok för Barnkontakter.pdf", b"%PDF-1.7", content_type="application/pdf")
    data = _lesson_post(key=lesson.key, video_url="", transcript_sv="", transcript_en="", attachment=upload)
    assert client.post(f"/content/courses/{course.pk}/lessons/{lesson.pk}/", data).status_code == 302
    assert lesson.attachments.get().name == "Handbok för Barnkontakter.pdf"
    attachment = lesson.attachments.get()
    data = _lesson_post(key=lesson.key, video_url="", transcript_sv="", transcript_en="",
                        remove_attachments=[str(attachment.pk)])  # fmt: skip
    assert client.post(f"/content/courses/{course.pk}/lessons/{lesson.pk}/", data).status_code == 302
    assert not lesson.attachments.exists()


def test_a_coordinator_cannot_approve_their_own_proposal_over_the_api(drafts, central):
    make_user(central, email="sam9@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "sam9@backabarnet.example.se")
    proposal = client.post("/api/releases/proposals/", {"notes": "Första"}, content_type="application/json").json()
    response = client.post(f"/api/releases/proposals/{proposal['id']}/approve/", {}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "four_eyes"
    assert not Release.objects.exists()
