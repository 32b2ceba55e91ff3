"""Reads on children. ``_access_rule`` is the one place that decides who may see which child: lists
(``children_visible_to``) and single children (``child_visible``) are both built from it."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from backa_platform.core.db import model_columns, model_from_row, row_prepared
from modules.children.models import Child, ChildContact, Concern, SupportCoordinator, TeamMember

# Largest value of a bigint: a larger id in a URL is a child that does not exist, not a database error.
_ID_MAX = 2**63 - 1


def _access_rule(*, user_id: int, today: date, now: datetime | None = None) -> dict[str, tuple[str, list]]:
    """Who may see a child: for each relationship that gives access, an SQL query for the ids of the children
    the user has it with today, and its parameters. The key is the flag a visible child carries.

    A staff member sees a child only as its current Barnkontakt, Stödsamordnare, a current member of its
    Barnteam whose ground still holds (no consent needed, a legal ground, or a consent that is neither
    withdrawn nor expired today: access ends the moment it is withdrawn or runs out), as someone who
    raised a concern about it, and then only their own concern (``has_full_access`` is False), or as the
    one a concern about it was routed to (a processledare when the child has no Barnkontakt) while that
    concern waits for acknowledgement: then only what acting on it needs (``may_handle_concerns``), and the
    access ends when it is acknowledged (with a Barnkontakt named, the Barnkontakt carries the child on).
    Nödåtkomst (``has_emergency_access``) opens the whole record to read while an unexpired grant lasts; no
    change is made under it (``modules.children.permissions.child_for`` drops it for writes).

    Plain SQL, not the ORM: building and compiling the same rule with querysets cost about 7 ms per request
    (measured), against 0.3 ms for running it; each query reads its (user, child) index.
    """
    return {
        "is_child_contact": (
            "SELECT child_id FROM children_childcontact WHERE user_id = %s AND ended_at IS NULL",
            [user_id],
        ),
        "is_support_coordinator": (
            "SELECT child_id FROM children_supportcoordinator WHERE user_id = %s AND ended_at IS NULL",
            [user_id],
        ),
        # Reads the covering index of current memberships (team_member_current_idx) alone; the consent is
        # looked at only for a membership that has one (not joined for every membership: a wide reader's
        # 20,000 places without consent were each joined, for nothing).
        "is_team_member": (
            "SELECT member.child_id FROM children_teammember member"
            " WHERE member.user_id = %s AND member.ended_at IS NULL AND (member.consent_id IS NULL OR EXISTS ("
            "SELECT FROM consent_consent consent WHERE consent.id = member.consent_id"
            " AND consent.withdrawn_at IS NULL AND consent.given_on <= %s AND consent.valid_until >= %s))",
            [user_id, today, today],
        ),
        "raised_concern": ("SELECT child_id FROM children_concern WHERE raised_by_id = %s", [user_id]),
        # Reads the partial index of open concerns per recipient (concern_open_idx).
        "is_concern_recipient": (
            "SELECT child_id FROM children_concern WHERE routed_to_id = %s AND acknowledged_at IS NULL",
            [user_id],
        ),
        # Reads its (user, child, expires_at) index.
        "has_emergency_access": (
            "SELECT child_id FROM children_emergencyaccess WHERE user_id = %s AND expires_at > %s",
            [user_id, now or timezone.now()],
        ),
    }


ACCESS_FLAGS = tuple(_access_rule(user_id=0, today=date.min, now=datetime.min))
# The flags that open the whole record (to read: Nödåtkomst reads only), and those that let one manage the
# child's relationships. The predicates below and the one-statement read (``child_visible``) use these.
FULL_ACCESS_FLAGS = ("is_child_contact", "is_support_coordinator", "is_team_member", "has_emergency_access")
MANAGE_FLAGS = ("is_child_contact", "is_support_coordinator")
CONCERN_FLAGS = (*FULL_ACCESS_FLAGS, "is_concern_recipient")


def _sees_children(user) -> bool:
    """No role sees children by role alone; deactivated accounts see nothing; the central schema has none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return connection.schema_name != get_public_schema_name()


def children_visible_to(*, user) -> QuerySet[Child]:
    """The children ``user`` may see (``_access_rule``), each annotated with why (its flags)."""
    if not _sees_children(user):
        return Child.objects.none()
    rule = _access_rule(user_id=user.pk, today=timezone.localdate())
    # RawSQL with the rule's own text and parameters (never user input).
    visible_ids = RawSQL(  # noqa: S611
        " UNION ALL ".join(sql for sql, _ in rule.values()), [p for _, ps in rule.values() for p in ps]
    )
    flags = {
        flag: ExpressionWrapper(Q(pk__in=RawSQL(sql, params)), output_field=BooleanField())  # noqa: S611
        for flag, (sql, params) in rule.items()
    }
    return Child.objects.filter(pk__in=visible_ids).annotate(**flags).order_by("family_name", "given_name", "pk")


# A cursor names a child by id only (names are personal data and stay out of URLs and access logs), signed
# with the user's id: only a child the server put at a page's edge for this user can start a page, so a
# forged id cannot probe where a child one may not see sorts among one's own.
_CURSOR_SALT = "modules.children.selectors.children_page"


class CursorInvalid(Exception):
    """A cursor this server did not give this user (malformed, forged, another user's), or whose child is gone."""


@dataclass(frozen=True)
class ChildPage:
    children: list[Child]
    count: int  # every child the user may see, exactly, as of the list's first page (carried in the cursors)
    next_cursor: str | None  # the page after this one, if there is one
    previous_cursor: str | None  # the page before, unless this is the first


def children_page(*, user, size: int, cursor: str = "", offset: int = 0, walk: bool | None = None) -> ChildPage:
    """One page of the children ``user`` may see (``_access_rule``), in name order (family name, given name,
    id), each with its flags, and how many there are in all. The first page, the page ``offset`` rows in
    (the API's ``page=N``: slower the deeper it is), or the page after or before the child a cursor of an
    earlier page names (as fast deep as at the start).

    How the page is found depends on how much of the tenant the user sees (``walk``; tests force each way).
    A wide reader (a tenth of 200,000 children) walks the name index from the cursor, keeping the children
    the rule lets through (the rule a hashed filter: one hash of its ids per page), and stops at the page's
    end: about size × children / visible index entries. A narrow reader (a caseload of 200) fetches their
    visible children by id and sorts them: walking would pass thousands of others' children per page."""
    if not _sees_children(user):
        return ChildPage([], 0, None, None)
    rule = _access_rule(user_id=user.pk, today=timezone.localdate())
    direction, position, carried = ("a", None, None) if not cursor else _cursor_position(cursor, user)
    # The count is made on the first page (and for ``offset``) and carried on in the signed cursor: gathering
    # every visible id to count them is most of a wide reader's page. A later page's count is therefore the
    # count as of the first page (as a list read from the start is); starting again counts again.
    count, total = carried if carried is not None else _visible_count_and_total(rule)
    if walk is None:
        # Walking costs ~ (offset + size) × total / count entries, fetching and sorting ~ count rows.
        walk = total > 0 and count * count > (offset + size) * total
    if direction == "b":
        rows = _children_rows(rule, walk=walk, position=position, backwards=True, limit=size + 1)
        at_start = len(rows) <= size
        if at_start:  # nothing before a whole page: the first page as it is, not a short one
            rows = _children_rows(rule, walk=walk, position=None, backwards=False, limit=size + 1)
            page, has_next = rows[:size], len(rows) > size
        else:
            page, has_next = rows[:size][::-1], True  # the cursor's child, or what follows it, comes next
    else:
        rows = _children_rows(rule, walk=walk, position=position, backwards=False, limit=size + 1, offset=offset)
        page, has_next = rows[:size], len(rows) > size
        at_start = position is None and offset == 0
    edge_before = page[0].pk if page else (position[2] if position else None)
    return ChildPage(
        children=page,
        count=count,
        next_cursor=_cursor_sign(user, "a", page[-1].pk, count, total) if has_next and page else None,
        previous_cursor=(
            None if at_start or edge_before is None else _cursor_sign(user, "b", edge_before, count, total)
        ),
    )


def _visible_count_and_total(rule) -> tuple[int, int]:
    """How many children the rule lets the user see, exactly: the distinct ids in the rule's relationship
    tables (every one is a child, by foreign key), without reading a child row; and about how many children
    the tenant has (the planner's statistics; 0 when not analysed yet)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM ("  # noqa: S608 - the rule's own text
            + " UNION ".join(sql for sql, _ in rule.values())
            + ") visible),"
            " (SELECT reltuples FROM pg_class WHERE oid = 'children_child'::regclass)",
            [p for _, params in rule.values() for p in params],
        )
        count, total = cursor.fetchone()
    return count, max(int(total or 0), 0)


def _visible_at_least(rule, many: int) -> bool:
    """Whether the rule's relationship rows for the user number at least ``many`` (a child in two of them
    counts twice: an estimate for choosing a way, not a count); stops reading at ``many``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT FROM ("  # noqa: S608 - the rule's own text
            + " UNION ALL ".join(sql for sql, _ in rule.values())
            + ") visible LIMIT %s) enough",
            [*(p for _, params in rule.values() for p in params), many],
        )
        return cursor.fetchone()[0] >= many


def _children_rows(
    rule, *, walk: bool, position, backwards: bool, limit: int, offset: int = 0, words=(), bound: int | None = None
) -> list[Child]:
    """The visible children in name order (descending when ``backwards``) after (before) ``position``, a
    (family name, given name, id), whose names contain each of ``words``, at most ``limit`` from ``offset``,
    with their flags; when walking with a ``bound``, only among the first ``bound`` children in that order
    (visible or not: what the walk may read of the index).

    Plain SQL, as ``child_visible``: the walk needs the rule as an expression, not a join (``(… IN …) IS TRUE``
    is not turned into a semi-join, so the planner keeps to the name index); the page's ids are picked from
    the index alone (names and id are all in it: an index-only scan, no row read for a child passed over);
    the flags are asked only of the page's rows, one index probe each (EXISTS), not a hash of every visible
    child per flag."""
    visible_sql = " UNION ALL ".join(sql for sql, _ in rule.values())
    visible_params = [p for _, params in rule.values() for p in params]
    order = " DESC" if backwards else ""
    name_order = f"child.family_name{order}, child.given_name{order}, child.id{order}"
    where, params = [], []
    if position is not None:
        # A row comparison: an index condition on (family_name, given_name, id), where the walk starts.
        where.append(f"(child.family_name, child.given_name, child.id) {'<' if backwards else '>'} (%s, %s, %s)")
        params.extend(position)
    source = "children_child child"
    if walk and bound is not None:
        # The first ``bound`` entries of the name index from the position, then the filters: the walk reads
        # at most that much of the index however rare the matches are.
        source = (
            f"(SELECT child.id, child.family_name, child.given_name FROM {source}"  # noqa: S608 - fixed names
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {name_order} LIMIT %s) child"
        )
        params.append(bound)
        where = []
    where.append(f"(child.id IN ({visible_sql})) IS TRUE" if walk else f"child.id IN ({visible_sql})")
    params.extend(visible_params)
    for word in words:  # as the ORM's icontains, each word in either name
        where.append("(UPPER(child.given_name) LIKE UPPER(%s) OR UPPER(child.family_name) LIKE UPPER(%s))")
        pattern = f"%{connection.ops.prep_for_like_query(word)}%"
        params.extend([pattern, pattern])
    flags = ", ".join(
        f"EXISTS (SELECT FROM ({sql}) access WHERE access.child_id = page.id) AS {flag}"
        for flag, (sql, _) in rule.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {model_columns(Child, 'page')}, {flags} FROM ("  # noqa: S608 - the rule's and model's own text
            f" SELECT child.id FROM {source} WHERE {' AND '.join(where)}"
            f" ORDER BY {name_order} LIMIT %s OFFSET %s"
            f") picked JOIN children_child page ON page.id = picked.id"
            f" ORDER BY page.family_name{order}, page.given_name{order}, page.id{order}",
            [*visible_params, *params, limit, offset],
        )
        rows = cursor.fetchall()
    children = []
    for row in rows:
        child = model_from_row(Child, row)
        for flag, value in zip(rule, row[-len(rule) :], strict=True):
            setattr(child, flag, value)
        children.append(child)
    return children


def _cursor_sign(user, direction: str, child_id: int, count: int, total: int) -> str:
    return signing.dumps([user.pk, direction, child_id, count, total], salt=_CURSOR_SALT)


def _cursor_position(cursor: str, user) -> tuple[str, tuple[str, str, int], tuple[int, int]]:
    """The direction ("a" after, "b" before) and the name position of the child a cursor names, and the count
    (and the tenant's size) carried from the first page."""
    try:
        user_id, direction, child_id, *carried = signing.loads(cursor, salt=_CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorInvalid from error
    if user_id != user.pk or direction not in ("a", "b") or not isinstance(child_id, int):
        raise CursorInvalid
    if len(carried) != 2 or not all(isinstance(n, int) and n >= 0 for n in carried):
        raise CursorInvalid
    # Where the child sorts, whether or not the user still sees it (a child that left the user's list during
    # the walk still marks the place); a child deleted since (gallring) ends the walk: start again.
    row = Child.objects.filter(pk=child_id).values_list("family_name", "given_name", "pk").first()
    if row is None:
        raise CursorInvalid
    return direction, row, tuple(carried)


def child_visible(
    *, user, child_id: int, granting: tuple[str, ...] = ACCESS_FLAGS, audit=None, related: bool = False
) -> Child | None:
    """The child with id ``child_id``, with its flags, if ``user`` may see it (``_access_rule``) through one of
    the ``granting`` flags (by default any); else None.

    The hot path of every page and API call about one child: one statement, without the ORM. For a read,
    ``audit`` (an unwritten ``modules.audit.services.audit_entry``) is written by the same statement when,
    and only when, the child is granted: the access decision and the entry are one round trip, and the entry
    commits with the statement (a read runs outside a transaction) before anything is shown. ``related``:
    also its guardians and units (``guardians_shown``, ``units_shown``, as ``child_guardians_and_units``
    reads them), read only for the whole record (``has_full_access``), empty otherwise."""
    if not _sees_children(user) or not 1 <= child_id <= _ID_MAX:
        return None
    rule = _access_rule(user_id=user.pk, today=timezone.localdate())
    statement = _child_statement(tuple(granting), audit is not None, related)
    params = [*(p for _, params in rule.values() for p in params), child_id]
    if audit is None:
        row = _one_row(statement, params)
    else:
        from modules.audit.services import audit_insert_values, audit_year_retry

        row = audit_year_retry(lambda: _one_row(statement, [*params, *audit_insert_values(audit)]), [audit])
    if row is None:
        return None
    width = len(Child._meta.concrete_fields) + len(rule)
    flag_values = row[width - len(rule) : width]
    if not any(value for flag, value in zip(rule, flag_values, strict=True) if flag in granting):
        return None
    child = model_from_row(Child, row)
    for flag, value in zip(rule, flag_values, strict=True):
        setattr(child, flag, value)
    if audit is not None:
        audit.pk = row[width]  # written: the statement inserted it, in the same snapshot as the decision
        audit._state.adding = False
    if related:
        child.guardians_shown, child.units_shown = row[width + 1], row[width + 2]
    return child


@cache  # a handful of texts, the same on every request: built once per process
def _child_statement(granting: tuple[str, ...], audited: bool, related: bool) -> str:
    """``child_visible``'s SQL: the child's columns and one column per flag of ``_access_rule`` (its text does
    not depend on the user or the day: those are parameters), then the entry's id and the related rows."""
    rule = _access_rule(user_id=0, today=date.min, now=datetime.min)
    if not granting or not set(granting) <= set(rule):  # flags are written into the statement: the rule's only
        raise ValueError(f"granting: flags of the access rule, not {granting!r}")
    flag_columns = ", ".join(f"child.id IN ({sql}) AS {flag}" for flag, (sql, _) in rule.items())
    sql = f"SELECT {model_columns(Child, 'child')}, {flag_columns} FROM children_child child WHERE child.id = %s"  # noqa: S608 - model's columns
    if not audited and not related:
        return sql
    granted = " OR ".join(granting)
    full = " OR ".join(FULL_ACCESS_FLAGS)
    entry, entry_column = "", "NULL"
    if audited:
        from modules.audit.services import AUDIT_WRITTEN

        # The trigger fills id, previous_hash and hash (the chain), exactly as for audit_record's INSERT.
        entry = (
            f", entry AS (INSERT INTO audit_auditentry ({', '.join(AUDIT_WRITTEN)}, previous_hash, hash)"  # noqa: S608 - fixed names
            f" SELECT {', '.join(['%s'] * len(AUDIT_WRITTEN))}, '', '' FROM seen WHERE {granted} RETURNING id)"
        )
        entry_column = "(SELECT id FROM entry)"
    shown = (
        f", CASE WHEN {full} THEN ({_GUARDIANS.format(child='seen.id')}) ELSE '[]' END,"
        f" CASE WHEN {full} THEN ({_UNITS.format(child='seen.id')}) ELSE '[]' END"
        if related
        else ""
    )
    # MATERIALIZED: the flags are computed once, not again for every use of them below.
    return (
        f"WITH seen AS MATERIALIZED ({sql}){entry}"  # noqa: S608 - fixed names
        f" SELECT {model_columns(Child, 'seen')}, {', '.join(rule)}, {entry_column}{shown} FROM seen WHERE {granted}"
    )


def _one_row(sql: str, params: list):
    return row_prepared(sql, params)


# The guardians (in the order added) and units (by organisation and name) of the child ``{child}``, as the API
# shows them: one JSON array each.
_GUARDIANS = (
    "SELECT coalesce(json_agg(json_build_object('id', guardian.id, 'name', guardian.name,"
    " 'relation', guardian.relation, 'phone', guardian.phone, 'email', guardian.email)"
    " ORDER BY guardian.id), '[]') FROM children_guardian guardian WHERE guardian.child_id = {child}"
)
_UNITS = (
    "SELECT coalesce(json_agg(json_build_object('id', unit.id, 'name', unit.name, 'kind', unit.kind,"
    " 'organisation', organisation.name) ORDER BY organisation.name, unit.name), '[]')"
    " FROM children_child_units attends JOIN organisations_unit unit ON unit.id = attends.unit_id"
    " JOIN organisations_organisation organisation ON organisation.id = unit.organisation_id"
    " WHERE attends.child_id = {child}"
)


def child_guardians_and_units(*, child: Child) -> tuple[list[dict], list[dict]]:
    """The child's guardians (in the order added) and units (by organisation and name), as the API shows them,
    in one statement: the two ORM queries cost ~2.6 ms per child read here, this one ~0.5 ms."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({_GUARDIANS.format(child='%s')}), ({_UNITS.format(child='%s')})", [child.pk, child.pk])
        guardians, units = cursor.fetchone()
    return guardians, units


def has_full_access(child: Child) -> bool:
    """For a child from ``children_visible_to``: the whole record, not only one's own concern (to read only,
    when it is open by Nödåtkomst alone)."""
    return any(getattr(child, flag, False) for flag in FULL_ACCESS_FLAGS)


def access_for_writing(child: Child) -> Child | None:
    """``child`` as a change may see it: Nödåtkomst reads only, so its flag is dropped; None when nothing else
    gives access."""
    if getattr(child, "has_emergency_access", False):
        child.has_emergency_access = False
        if not any(getattr(child, flag) for flag in ACCESS_FLAGS):
            return None
    return child


def may_handle_concerns(child: Child) -> bool:
    """For a child from ``children_visible_to``: its concerns and process page, to acknowledge a concern and
    name a Barnkontakt. The whole record gives it; so does an open concern routed to the user."""
    return any(getattr(child, flag, False) for flag in CONCERN_FLAGS)


def may_manage_relationships(child: Child) -> bool:
    """The Barnkontakt and the Stödsamordnare form the team, record consent and hand over their role."""
    return any(getattr(child, flag) for flag in MANAGE_FLAGS)


def child_by_personnummer_lookup(*, lookup: str) -> Child | None:
    """For registration (dedup) and loggkontroll only: never shown to a user without access."""
    return Child.objects.filter(personnummer_lookup=lookup).first()


def current_child_contact(*, child: Child) -> ChildContact | None:
    return child.contacts.select_related("user__unit__organisation").filter(ended_at__isnull=True).first()


def current_support_coordinator(*, child: Child) -> SupportCoordinator | None:
    return child.support_coordinators.select_related("user").filter(ended_at__isnull=True).first()


def team_of(*, child: Child) -> QuerySet[TeamMember]:
    return child.team_members.select_related("user__unit__organisation", "consent").order_by("started_on", "pk")


def team_with_access(*, child: Child, members=None) -> list[TeamMember]:
    """The child's Barnteam (or ``members`` of it), each with ``has_access``: whether its place still opens the
    record today. Asked of ``_access_rule`` itself, in one statement, so what a page or the API shows is what
    the rule decides (a consent withdrawn or run out closes it the same day), never a second copy of it."""
    members = list(team_of(child=child) if members is None else members)
    if not members:
        return members
    today = timezone.localdate()
    rules = [_access_rule(user_id=member.user_id, today=today)["is_team_member"] for member in members]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"%s IN ({sql})" for sql, _ in rules),
            [value for sql, params in rules for value in (child.pk, *params)],
        )
        for member, has_access in zip(members, cursor.fetchone(), strict=True):
            member.has_access = has_access
    return members


def own_concerns(*, child: Child, user) -> QuerySet[Concern]:
    return child.concerns.filter(raised_by=user)


# How much of the name index a search walks before it fetches and filters instead, and how many children
# one must see for the walk to be tried at all (see children_search).
SEARCH_WALK_BOUND = 25_000
SEARCH_WALK_FROM = 2_000


def children_search(*, user, query: str, limit: int, walk: bool | None = None) -> list[Child]:
    """Among the children ``user`` may see, in name order, at most ``limit``: an exact personnummer (via the
    keyed hash) or the children whose names contain every word (at most four) of ``query``.

    A substring match cannot use a btree index (and pg_trgm is not available everywhere), so there are two
    ways, and neither is cheap for every query: walking the name index in order, keeping the visible children
    whose names match, stops as soon as ``limit`` are found (a few ms for a name many of the user's children
    have), but for a name they rarely have it reads the whole index; fetching the user's visible children and
    filtering them costs what they number (~100 ms for the 20,000 a wide reader sees), whatever the name. So a
    search first walks at most ``SEARCH_WALK_BOUND`` entries of the index (an index-only scan): if that finds
    ``limit`` children they are the first ``limit`` matches in name order, and the answer; otherwise it fetches
    and filters, which never misses a match. Someone who sees fewer than ``SEARCH_WALK_FROM`` children (a
    caseload) fetches and filters at once: cheap for them, while the walk would read 25,000 entries to find
    next to nothing (measured: +4–5 ms at 200,000 children). ``walk`` True or False forces one way (tests)."""
    from modules.children.crypto import personnummer_lookup_hash
    from modules.children.personnummer import identity_number_parse

    query = query.strip()
    if not query or not _sees_children(user):
        return []
    try:
        number = identity_number_parse(query)
    except ValidationError:
        number = None
    if number is not None:
        visible = children_visible_to(user=user)
        return list(visible.filter(personnummer_lookup=personnummer_lookup_hash(number.digits))[:limit])
    rule = _access_rule(user_id=user.pk, today=timezone.localdate())
    words = query.split()[:4]
    if walk is None and _visible_at_least(rule, SEARCH_WALK_FROM):
        found = _children_rows(
            rule, walk=True, position=None, backwards=False, limit=limit, words=words, bound=SEARCH_WALK_BOUND
        )
        if len(found) >= limit:
            return found
    return _children_rows(rule, walk=bool(walk), position=None, backwards=False, limit=limit, words=words)


def emergency_accesses_to_review() -> QuerySet:
    """Nödåtkomst grants the local admin has not closed yet, oldest first: shown first in loggkontroll."""
    from modules.children.models import EmergencyAccess

    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True)
        .select_related("user", "child")
        .order_by("granted_at", "pk")
    )
