"""The processledare a concern was routed to (the child has no Barnkontakt) follows the link in the e-mail in a
real browser, reads the concern, names a Barnkontakt while acknowledging it, and is then shut out again."""

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.children.models import Child, Concern
from modules.children.services import child_register
from tests.e2e.test_casework_journey import axe_serious, committed_world, sign_in  # noqa: F401
from tests.factories import personnummer


def test_the_processledare_opens_the_mailed_link_and_hands_the_child_to_a_barnkontakt(
    live_site,
    page,
    committed_world,  # noqa: F811
):
    world = committed_world
    base = live_site("ystad.localhost")
    with tenant_context(world.tenant):
        child = child_register(
            personnummer=personnummer("20180607", serial="125"),
            given_name="Noa",
            family_name="Nord",
            acting_user=world.raiser,
            concern="Noa kommer ofta utan ytterkläder.",
        ).child
        concern = Concern.objects.get(child=child)
    try:
        assert concern.routed_to_id == world.process_lead.pk
        sign_in(page, base, world.process_lead.email)
        page.get_by_role("link", name="Noa Nord").click()
        page.get_by_role("link", name="En oro om barnet väntar på din kvittens").click()
        page.wait_for_url(f"{base}/barn/{child.pk}/process/")
        assert "Noa kommer ofta utan ytterkläder." in page.content()
        violations = axe_serious(page)
        page.get_by_role("button", name="Kvittera och utse barnkontakt").click()
        assert page.get_by_label("Barnkontakt").get_attribute("aria-invalid") == "true"
        page.get_by_label("Barnkontakt").select_option(label=f"{world.contact.full_name} ({world.preschool.name})")
        page.get_by_role("button", name="Kvittera och utse barnkontakt").click()
        page.wait_for_url(f"{base}/")
        assert "Oron är kvitterad" in page.content()
        assert page.goto(f"{base}/barn/{child.pk}/process/").status == 404
        with tenant_context(world.tenant):
            concern.refresh_from_db()
            assert concern.acknowledged_at is not None and concern.acknowledged_at <= timezone.now()
            assert child.contacts.get(ended_at__isnull=True).user_id == world.contact.pk
        assert not violations, violations
    finally:
        with tenant_context(world.tenant):
            Child.objects.filter(pk=child.pk).delete()
