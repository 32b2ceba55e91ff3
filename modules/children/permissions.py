"""The one permission over a child, built on the one selector. Pages (``child_view``) and the API
(``api.permissions.ChildAccessPermission``) both call ``child_for``; what a user may not see answers exactly
like a child that does not exist: 404, same body."""

from functools import wraps

from django.db import transaction
from django.http import Http404

from modules.audit.services import audit_record
from modules.children.selectors import (
    access_for_writing,
    child_visible,
    has_full_access,
    may_handle_concerns,
    may_manage_relationships,
)

FULL = "full"  # the whole record (Barnkontakt, Barnteam, Stödsamordnare)
ANY = "any"  # also whoever raised a concern (their own concern only)
CONCERN = "concern"  # also the recipient of an open routed concern (the process page, to act on it)
MANAGE = "manage"  # relationships and consent (Barnkontakt, Stödsamordnare)


def child_for(*, user, child_id, need: str = FULL, write: bool = False):
    """The child with id ``child_id`` if ``user`` may do ``need`` with it, else None. ``write``: for a change,
    where Nödåtkomst (read-only) counts for nothing."""
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return None
    child = child_visible(user=user, child_id=child_id)
    if child is not None and write:
        child = access_for_writing(child)
    if child is None:
        return None
    if need == FULL and not has_full_access(child):
        return None
    if need == CONCERN and not may_handle_concerns(child):
        return None
    if need == MANAGE and not may_manage_relationships(child):
        return None
    return child


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def child_read_record(*, request, child, action: str = "view") -> None:
    """Every read of a child's data, by page or API, is logged here: which page or endpoint, which child.
    Writes log themselves, in their services."""
    if request.method in SAFE_METHODS:
        match = getattr(request, "resolver_match", None)
        audit_record(
            acting_user=request.user,
            action=action,
            child=child,
            object_type=(match.url_name if match else "") or "child",
            object_id=str(child.pk),
            request=request,
        )


def child_view(need: str = FULL):
    """Decorator for page views taking ``child_id``: passes ``child`` or answers 404.

    A read (GET, HEAD) runs outside a transaction: its audit entry is one INSERT that commits by itself before
    the view reads anything more, and the page is built after it. Inside a transaction the entry's chain lock
    (one per tenant, taken by the insert's trigger) would be held until the page was rendered and every other
    read of the tenant would wait for it. If the insert fails, the request fails: nothing is shown unlogged.
    A change (POST, ...) stays one transaction with the entries its services write."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, child_id, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                with transaction.atomic():
                    return _child_view_call(view, need, request, child_id, *args, **kwargs)
            return _child_view_call(view, need, request, child_id, *args, **kwargs)

        return wrapper

    return decorator


def _child_view_call(view, need, request, child_id, *args, **kwargs):
    child = child_for(user=request.user, child_id=child_id, need=need, write=request.method not in SAFE_METHODS)
    if child is None:
        raise Http404
    child_read_record(request=request, child=child)
    return view(request, child, *args, **kwargs)
