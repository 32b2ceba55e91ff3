"""The assessment form speaks the reader's language: the release's scale, poles and sub-areas included, not
only the labels from the catalogue (they were taken in Swedish whatever the language)."""

from tests.factories import logged_in_client


def test_the_assessment_form_in_english_shows_the_releases_english(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    url = f"/barn/{world.child.pk}/bedomning/"
    # The form in its steps: the areas with the scale, Min värld-triangeln, the resiliensmatris.
    english = "".join(client.get(f"{url}?steg={n}", HTTP_ACCEPT_LANGUAGE="en").content.decode() for n in (2, 3, 4))
    assert "Going well" in english and "Not going well at all" in english  # the scale's levels
    assert "Vulnerability" in english and "Resilience" in english  # the resiliensmatris' poles
    assert "Being healthy" in english  # a sub-area of Min värld-triangeln
    for swedish in ("Fungerar bra", "Sårbarhet", "Motståndskraft", "Att vara frisk"):
        assert swedish not in english
    swedish = "".join(client.get(f"{url}?steg={n}").content.decode() for n in (2, 3, 4))
    assert "Fungerar bra" in swedish and "Sårbarhet" in swedish and "Att vara frisk" in swedish
