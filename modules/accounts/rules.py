"""Who may do what by role: the one set of named rules, used by pages (``rule_required`` in
``modules.accounts.decorators``), by the API (``api.permissions.RulePermission``) and by templates
(``rules`` in the context).

Each rule is a plain predicate on the user. django-rules would give the same predicates a registry and an
authentication backend, but nothing here is an object permission: a child's record is decided by the child's
relationships in ``modules.children`` (``has_full_access``, ``may_manage_relationships``), never by a role, so a
registry would be one more place to look for nothing, and one more dependency in the image.

Where a page or an endpoint may be reached decides nothing here; the site (central or a tenant) is checked
beside the rule (``site=`` on the decorator and the permission).
"""

from modules.accounts.models import User

CENTRAL = "central"
TENANT = "tenant"


def _has_role(user, *roles) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in roles)


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_local_admin(user) -> bool:
    """The municipality's or region's own administrator: organisations, staff, retention, local content."""
    return _has_role(user, User.Role.LOCAL_ADMIN)


def is_national_coordinator(user) -> bool:
    """The national team: the console, applications, tenants and their lifecycle."""
    return _has_role(user, User.Role.NATIONAL_COORDINATOR)


def may_administer_accounts(user) -> bool:
    """Local admins manage their tenant's accounts; national coordinators the national ones."""
    return _has_role(user, User.Role.LOCAL_ADMIN, User.Role.NATIONAL_COORDINATOR)


def may_review_access(user) -> bool:
    """Loggkontroll: local admins and processledare."""
    return _has_role(user, User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)


def may_read_local_statistics(user) -> bool:
    """The instance's own figures beside the national ones (tenants/statistics): local admins and processledare."""
    return _has_role(user, User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)


def may_appoint_child_roles(user) -> bool:
    """Name any child's Barnkontakt or Stödsamordnare (the holders themselves hand over their own role):
    processledare and local admins. ``modules.children.services.child_role_hand_over`` asks it."""
    return _has_role(user, User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)


def may_see_caseload(user) -> bool:
    """Översikt, the caseload across children: processledare and local admins. Which children it lists is still
    the children's own decision (``children_visible_to``), never the role."""
    return _has_role(user, User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)


def may_author_content(user) -> bool:
    """The model's and the training's national content: content editors and national coordinators."""
    return _has_role(user, User.Role.CONTENT_EDITOR, User.Role.NATIONAL_COORDINATOR)


def on_site(request, site: str | None) -> bool:
    """Whether the request reached the site a rule belongs to (None: either)."""
    if site is None:
        return True
    tenant = getattr(request, "tenant", None)
    is_central = tenant is None or tenant.is_central
    return is_central if site == CENTRAL else not is_central


# What templates may ask (``{% if may.is_local_admin %}``), through ``modules.accounts.context_processors``.
ROLE_RULES = (
    is_local_admin,
    is_national_coordinator,
    may_administer_accounts,
    may_review_access,
    may_author_content,
    may_see_caseload,
    may_read_local_statistics,
)


def rules_for(user) -> dict[str, bool]:
    return {rule.__name__: rule(user) for rule in ROLE_RULES}
