"""The one permission over a child, built on the one selector. Pages (``child_view``) and the API
(``api.permissions.ChildAccessPermission``) both call ``child_read`` for a read (the decision and its audit
entry in one statement) and ``child_for`` for a change; what a user may not see answers exactly like a child
that does not exist: 404, same body."""

from functools import wraps

from django.db import transaction
from django.http import Http404

from modules.audit.services import audit_entry
from modules.children.selectors import (
    ACCESS_FLAGS,
    CONCERN_FLAGS,
    FULL_ACCESS_FLAGS,
    MANAGE_FLAGS,
    access_for_writing,
    child_visible,
)

FULL = "full"  # the whole record (Barnkontakt, Barnteam, Stödsamordnare)
ANY = "any"  # also whoever raised a concern (their own concern only)
CONCERN = "concern"  # also the recipient of an open routed concern (the process page, to act on it)
MANAGE = "manage"  # relationships and consent (Barnkontakt, Stödsamordnare)
# The flags (``modules.children.selectors._access_rule``) that give each need.
NEED_FLAGS = {FULL: FULL_ACCESS_FLAGS, ANY: ACCESS_FLAGS, CONCERN: CONCERN_FLAGS, MANAGE: MANAGE_FLAGS}


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
    if child is None or not any(getattr(child, flag) for flag in NEED_FLAGS[need]):
        return None
    return child


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def child_read(*, request, child_id, need: str = FULL, action: str = "view", related: bool = False):
    """A read (GET, HEAD, OPTIONS) of one child, by page or API: ``child_for`` and the read's audit entry (which
    page or endpoint, which child) in one statement (``child_visible`` with its entry). The child if
    ``request.user`` may do ``need`` with it, its entry written and committed; else None and no entry
    (nothing was read). Writes log themselves, in their services. ``related``: with guardians and units."""
    if request.method not in SAFE_METHODS:
        raise ValueError("child_read: reads only; a change uses child_for in its transaction")
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return None
    entry = audit_entry(**_read_entry_fields(request, child_id, action))
    return child_visible(user=request.user, child_id=child_id, granting=NEED_FLAGS[need], audit=entry, related=related)


def _read_entry_fields(request, child_id: int, action: str) -> dict:
    match = getattr(request, "resolver_match", None)
    return {
        "acting_user": request.user,
        "action": action,
        "child": child_id,
        "object_type": (match.url_name if match else "") or "child",
        "object_id": str(child_id),
        "request": request,
    }


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
    if request.method in SAFE_METHODS:
        child = child_read(request=request, child_id=child_id, need=need)
    else:
        child = child_for(user=request.user, child_id=child_id, need=need, write=True)
    if child is None:
        raise Http404
    return view(request, child, *args, **kwargs)
