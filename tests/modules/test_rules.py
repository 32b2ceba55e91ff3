"""One set of role rules (modules/accounts/rules.py): pages, the API and the navigation answer alike."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from api.permissions import RulePermission
from modules.accounts import rules
from modules.accounts.models import User
from tests.factories import logged_in_client

# page, API endpoint, the rule both follow
PAIRS = [
    ("/gallring/", "/api/retention/", rules.is_local_admin),
    ("/loggkontroll/", "/api/access-review/?child_id=1", rules.may_review_access),
    ("/personal/", "/api/staff/invitations/", rules.may_administer_accounts),
    ("/oversikt/", "/api/caseload/", rules.may_see_caseload),
]


@pytest.mark.parametrize("who", ["admin", "process_lead", "contact"])
def test_a_page_and_its_endpoint_follow_the_same_rule(world, who):
    user = getattr(world, who)
    client = logged_in_client(world.tenant, user.email)
    for page, endpoint, rule in PAIRS:
        allowed = rule(user)
        page_status = client.get(page).status_code
        api_status = (client.post if "invitations" in endpoint else client.get)(endpoint).status_code
        assert (page_status == 200) is allowed, (page, who, page_status)
        assert (api_status not in (403, 404)) is allowed, (endpoint, who, api_status)


def test_the_navigation_asks_the_rules(world):
    admin_nav = logged_in_client(world.tenant, world.admin.email).get("/barn/").content.decode()
    lead_nav = logged_in_client(world.tenant, world.process_lead.email).get("/barn/").content.decode()
    staff_nav = logged_in_client(world.tenant, world.contact.email).get("/barn/").content.decode()
    assert 'href="/gallring/"' in admin_nav and 'href="/loggkontroll/"' in admin_nav
    assert 'href="/gallring/"' not in lead_nav and 'href="/loggkontroll/"' in lead_nav
    assert 'href="/gallring/"' not in staff_nav and 'href="/loggkontroll/"' not in staff_nav


def test_no_rule_lets_a_signed_out_or_roleless_user_through():
    anonymous = AnonymousUser()
    for rule in rules.ROLE_RULES:
        assert rule(anonymous) is False and rule(None) is False
    assert rules.may_author_content(User(role=User.Role.CONTENT_EDITOR))
    assert not rules.may_author_content(User(role=User.Role.LOCAL_ADMIN))


def test_rule_permission_holds_only_on_its_site(world):
    request = RequestFactory().get("/api/releases/")
    request.user, request.tenant = User(role=User.Role.NATIONAL_COORDINATOR), world.tenant
    permission = RulePermission(rules.may_author_content, site=rules.CENTRAL)()
    assert permission.has_permission(request, view=None) is False
    assert RulePermission(rules.may_author_content)().has_permission(request, view=None) is True
