from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from modules.accounts import rules


def rule_required(rule, *, site: str | None = None, denied: type[Exception] = PermissionDenied):
    """A page for the users ``rule`` (``modules.accounts.rules``) allows. Signed out: to the login page. On the
    other site: 404 (the page is not there). Refused: ``denied`` (403, or 404 for a page whose very existence
    is the rule's business). Never used for a child's data: that is decided by relationships in
    modules.children.permissions."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rules.on_site(request, site):
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise denied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


local_admin_required = rule_required(rules.is_local_admin)
access_reviewer_required = rule_required(rules.may_review_access)
