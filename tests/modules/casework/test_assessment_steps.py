"""The Behovskompassen assessment in steps: the model's guiding questions beside each area, a progress
indicator, a draft kept between steps and sessions, ratings per perspective, and the chart drawing the
perspectives side by side."""

import re

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.casework.models import Assessment, AssessmentDraft, PerspectiveRating
from modules.casework.perspectives import PerspectiveRatingData, compass_by_perspective
from modules.casework.services import CaseworkError, RatingData, assessment_make
from tests.factories import logged_in_client

AREAS = ["trygghet", "tillhorighet", "omsorg", "fritid", "halsa", "utveckling", "att-bli-respekterad", "att-ta-ansvar"]


def test_the_form_in_steps_shows_the_guiding_questions_and_keeps_a_draft_until_saved(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    url = f"/barn/{world.child.pk}/bedomning/"
    first = client.get(url).content.decode()
    assert "Steg 1 av 5" in first and '<progress max="5" value="1"' in first
    assert re.search(r'aria-current="step"><strong>Om bedömningen', first)
    about = {
        "assessed_on": timezone.localdate().isoformat(),
        "perspective_keys": ["barnet", "vardnadshavare", "professionell"],
        "participants": "Karin, Alva, Maria",
    }
    response = client.post(f"{url}?steg=1", {**about, "go": "draft"})
    assert response.status_code == 302 and response["Location"].endswith("?steg=1")
    # Another session later: the draft is there, and the page opens at it.
    again = logged_in_client(world.tenant, world.contact.email).get(url).content.decode()
    assert 'value="Karin, Alva, Maria"' in again and "Utkast sparat" in again

    assert client.post(f"{url}?steg=1", {**about, "go": "next"})["Location"].endswith("?steg=2")
    areas = client.get(f"{url}?steg=2").content.decode()
    # The guiding questions sit beside their area, in the area's own section.
    trygghet = areas[areas.index('id="area-trygghet"') : areas.index('id="area-tillhorighet"')]
    assert "Stödfrågor: Trygghet" in trygghet and "Känner sig barnet tryggt hemma" in trygghet
    assert 'for="id_persp_barnet_trygghet"' in trygghet

    ratings = {f"level_{key}": "2" for key in AREAS}
    ratings.update({f"persp_barnet_{key}": "1" for key in AREAS}, persp_vardnadshavare_trygghet="3", go="next")
    client.post(f"{url}?steg=2", ratings)
    client.post(f"{url}?steg=3", {"go": "next"})
    client.post(f"{url}?steg=4", {"go": "next"})
    response = client.post(
        f"{url}?steg=5",
        {"support_level_key": "barnkontakt-barnteam", "support_level_reason": "Behov i flera områden.", "go": "save"},
    )
    assert response.status_code == 302, response.content.decode()
    with tenant_context(world.tenant):
        assessment = Assessment.objects.get(child=world.child)
        assert assessment.participants == "Karin, Alva, Maria"
        by_perspective = {(r.perspective_key, r.area_key): r.level_key for r in assessment.perspective_ratings.all()}
        assert len(by_perspective) == len(AREAS) + 1 and by_perspective["vardnadshavare", "trygghet"] == "3"
        assert not AssessmentDraft.objects.filter(child=world.child).exists()


def test_a_refused_last_step_opens_the_first_step_to_correct_and_keeps_the_draft(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    url = f"/barn/{world.child.pk}/bedomning/"
    page = client.post(f"{url}?steg=5", {"support_level_key": "ordinarie", "go": "save"}).content.decode()
    assert "Steg 1 av 5" in page and 'id="id_participants_error"' in page
    assert f'href="{url}?steg=5#id_support_level_reason"' in page  # the other step's error leads there
    with tenant_context(world.tenant):
        assert AssessmentDraft.objects.get(child=world.child).values["support_level_key"] == ["ordinarie"]
        assert not Assessment.objects.filter(child=world.child).exists()


def _assess(world, perspective_ratings, perspective_keys=("barnet", "vardnadshavare", "professionell")):
    return assessment_make(
        child=world.child,
        acting_user=world.contact,
        assessed_on=timezone.localdate(),
        ratings=[RatingData(area_key=key, level_key="2") for key in AREAS],
        perspective_ratings=perspective_ratings,
        perspective_keys=list(perspective_keys),
        participants="Karin, Alva, Maria",
        support_level_key="barnkontakt-barnteam",
        support_level_reason="Behov.",
    )


def test_the_chart_shows_the_perspectives_side_by_side(world, installed):
    with tenant_context(world.tenant):
        with pytest.raises(CaseworkError) as error:
            _assess(world, [PerspectiveRatingData("barnet", "trygghet", "1")], perspective_keys=["professionell"])
        assert set(error.value.message_dict) == {"perspective_ratings"}
        _assess(
            world,
            [PerspectiveRatingData("barnet", key, "1") for key in AREAS]
            + [PerspectiveRatingData("vardnadshavare", key, "3") for key in AREAS[:4]],
        )
        compass = compass_by_perspective(child=world.child)
        assert [series.label for series in compass.series] == ["Barnet", "Vårdnadshavare", "Samlad skattning"]
        assert compass.changes[0]["cells"] == [1, 3, 2] and compass.changes[-1]["cells"] == [1, None, 2]
        assert PerspectiveRating.objects.filter(perspective_key="barnet").count() == len(AREAS)
    page = logged_in_client(world.tenant, world.contact.email).get(f"/barn/{world.child.pk}/process/").content.decode()
    chart = page[page.index('<title id="perspectives-title">') :]
    assert chart.count("<polygon points=") >= 3 and "Samlad skattning" in chart
    assert "<td>–</td>" in chart  # a perspective that did not rate an area
