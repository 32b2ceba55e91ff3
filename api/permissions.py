from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from modules.accounts import rules
from modules.children.permissions import FULL, child_for, child_read


def RulePermission(  # noqa: N802 (a class factory, named as the class it makes)
    rule, *, site: str | None = None, reads=None, message=None
) -> type[BasePermission]:
    """The DRF permission for a rule of ``modules.accounts.rules``, the same rules the pages use.

    ``site``: the rule holds on that site only (``rules.CENTRAL`` or ``rules.TENANT``). ``reads``: another rule
    for GET, HEAD and OPTIONS (a list everyone signed in may read, only admins change)."""

    class _RulePermission(BasePermission):
        def has_permission(self, request, view):
            if not rules.on_site(request, site):
                return False
            applies = reads if reads is not None and request.method in SAFE_METHODS else rule
            return applies(request.user)

    _RulePermission.__name__ = _RulePermission.__qualname__ = f"RulePermission({rule.__name__})"
    if message is not None:
        _RulePermission.message = message
    return _RulePermission


IsNationalCoordinator = RulePermission(
    rules.is_national_coordinator,
    site=rules.CENTRAL,
    message=gettext_lazy("Endast nationella samordnare har tillgång."),
)
MayAuthorContent = RulePermission(rules.may_author_content, site=rules.CENTRAL)
IsLocalAdmin = RulePermission(rules.is_local_admin)
IsLocalAdminOrReadOnly = RulePermission(rules.is_local_admin, reads=rules.is_signed_in)
MayAdministerAccounts = RulePermission(rules.may_administer_accounts)
MayReviewAccess = RulePermission(rules.may_review_access)
MaySeeCaseload = RulePermission(rules.may_see_caseload)


class ChildAccessPermission(BasePermission):
    """For API views with a ``child_id`` URL argument; the view sets ``child_access`` (FULL by default).
    The child is left on ``request.child`` for the view."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        need = getattr(view, "child_access", FULL)
        if request.method in SAFE_METHODS:
            # The access decision and the read's audit entry in one statement (``child_read``); ``child_related``:
            # the view shows the child's guardians and units, read by the same statement.
            child = child_read(
                request=request,
                child_id=view.kwargs.get("child_id"),
                need=need,
                action=getattr(view, "audit_action", "view"),
                related=getattr(view, "child_related", False),
            )
        else:
            child = child_for(user=request.user, child_id=view.kwargs.get("child_id"), need=need, write=True)
        if child is None:
            raise NotFound
        request.child = child
        return True
