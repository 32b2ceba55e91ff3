from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from modules.accounts.models import User


def role_required(*roles):
    """Pages for a role (managing people and organisations, loggkontroll). Never used for a child's data:
    that is decided by relationships in modules.children.permissions."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


local_admin_required = role_required(User.Role.LOCAL_ADMIN)
access_reviewer_required = role_required(User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)
