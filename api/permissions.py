from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from modules.accounts.models import User
from modules.children.permissions import FULL, child_for, child_read_record


class IsNationalCoordinator(BasePermission):
    """The national console's rule, for the API too: national coordinators on the central site only."""

    message = gettext_lazy("Endast nationella samordnare har tillgång.")

    def has_permission(self, request, view):
        tenant = getattr(request, "tenant", None)
        user = request.user
        return bool(
            tenant is not None
            and tenant.is_central
            and user.is_authenticated
            and user.role == User.Role.NATIONAL_COORDINATOR
        )


class ChildAccessPermission(BasePermission):
    """For API views with a ``child_id`` URL argument; the view sets ``child_access`` (FULL by default).
    The child is left on ``request.child`` for the view."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        child = child_for(
            user=request.user, child_id=view.kwargs.get("child_id"), need=getattr(view, "child_access", FULL)
        )
        if child is None:
            raise NotFound
        child_read_record(request=request, child=child, action=getattr(view, "audit_action", "view"))
        request.child = child
        return True
