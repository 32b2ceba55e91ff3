"""The national console's per-tenant figures, read from each tenant's own schema in one query."""

from modules.accounts.models import User
from modules.model_config.services import model_drafts_load_defaults
from modules.training.services import course_drafts_load_defaults
from tenants.models import Tenant
from tenants.releases.services import release_install, release_publish
from tenants.selectors import tenant_release_versions, tenant_user_counts
from tests.factories import logged_in_client, make_user


def test_console_shows_each_tenants_own_users_and_current_release(db, central, ystad, skane):
    model_drafts_load_defaults()
    course_drafts_load_defaults()
    release = release_publish(notes="Första", start_rollout=False)
    release_install(tenant=ystad, release=release, make_current=True)
    make_user(ystad, email="extra@ystad.se", role=User.Role.STAFF)
    tenants = list(Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL))

    users, releases = tenant_user_counts(tenants), tenant_release_versions(tenants)

    assert users[ystad.pk] == users[skane.pk] + 1  # the demo admin each, and Ystad's extra staff member
    assert releases[ystad.pk] == str(release.version)
    assert skane.pk not in releases  # nothing installed there

    make_user(central, email="konsol@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)
    page = logged_in_client(central, "konsol@backabarnet.se").get("/konsol/").content.decode()
    assert f"<td>{release.version}</td>" in page


def test_the_console_list_pages_through_the_tenants_keeping_the_filter(db, central, ystad, skane, settings):
    settings.CONSOLE_PAGE_SIZE = 1
    make_user(central, email="sidor@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "sidor@backabarnet.se")
    local = Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL).filter(county=ystad.county).order_by("name")
    first, second = (tenant.name for tenant in local[:2])

    page_one = client.get("/konsol/", {"county": ystad.county}).content.decode()
    page_two = client.get("/konsol/", {"county": ystad.county, "page": "2"}).content.decode()

    assert first in page_one and second not in page_one
    assert second in page_two and first not in page_two
    assert f"{local.count()} instanser, sida 1 av {local.count()}" in page_one
    assert f'href="?county={ystad.county}&amp;page=2" rel="next"' in page_one
    assert 'rel="prev"' in page_two
