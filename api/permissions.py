from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from modules.accounts.models import User


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
