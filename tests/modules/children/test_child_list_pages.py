"""The child list in pages (``children_page``): by cursor, every child the rule lets one see exactly once, in
name order, never another; both ways of finding a page (walking the name index, fetching and sorting) answer
the same; the cursor is the server's own; the page (HTML) links on in Swedish; every child shown is logged."""

import re
from datetime import date
from html import unescape

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.children import views
from modules.children.models import Child, ChildContact, Concern, TeamMember
from modules.children.selectors import CursorInvalid, children_page, children_search, children_visible_to
from tests.factories import logged_in_client

# Ties on both names, so the id decides the order inside a name; lower and upper case, å/ä/ö.
NAMES = [
    ("Ek", "Alva"),
    ("Ek", "Alva"),
    ("Ek", "Alva"),
    ("Ek", "Bo"),
    ("Åberg", "Saga"),
    ("Andersson", "Alva"),
    ("Andersson", "Alva"),
    ("andersson", "liam"),
    ("Öst", "Nils"),
    ("Berg", "Ella"),
    ("Berg", "Ella"),
    ("Berg", "Ella"),
    ("Berg", "Ella"),
    ("Lind", "Otto"),
]


def _children(names, prefix):
    return Child.objects.bulk_create(
        Child(
            given_name=given,
            family_name=family,
            personnummer_ciphertext="test",
            personnummer_lookup=f"{prefix}-{index}",
            personnummer_prefix="20150101",
            birth_date=date(2015, 1, 1),
        )
        for index, (family, given) in enumerate(names)
    )


@pytest.fixture
def reader(world):
    """world.outsider: Barnkontakt of most of NAMES, in the Barnteam of one, raised a concern about another;
    as many children again with the same names are someone else's."""
    user = world.outsider
    with tenant_context(world.tenant):
        mine = _children(NAMES, "mine")
        _children(NAMES, "theirs")  # nobody's: never listed
        now = timezone.now()
        ChildContact.objects.bulk_create(ChildContact(child=c, user=user, started_at=now) for c in mine[2:])
        TeamMember.objects.create(child=mine[0], user=user, team_role="Kurator", started_on=date(2024, 1, 1))
        Concern.objects.create(child=mine[1], raised_by=user, description="Oro")
    return user


def _walk(user, *, size, walk):
    pages, cursor = [], ""
    for _ in range(len(NAMES) + 2):  # a walk that does not move on fails here rather than hanging
        page = children_page(user=user, size=size, cursor=cursor, walk=walk)
        pages.append(page)
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
    pytest.fail("the walk did not come to an end")


def _expected(user):
    return list(children_visible_to(user=user).values_list("pk", flat=True))


@pytest.mark.parametrize("walk", [True, False, None])
def test_next_cursors_list_every_visible_child_once_in_name_order_and_previous_goes_back(world, reader, walk):
    with tenant_context(world.tenant):
        expected = _expected(reader)
        pages = _walk(reader, size=4, walk=walk)
        assert [c.pk for page in pages for c in page.children] == expected
        assert len(expected) == len(NAMES) and {page.count for page in pages} == {len(NAMES)}
        assert [len(page.children) for page in pages] == [4, 4, 4, 2]
        assert pages[0].previous_cursor is None and all(page.previous_cursor for page in pages[1:])
        # Back from the last page: the same pages, in the same order.
        back, cursor = [], pages[-1].previous_cursor
        while cursor and len(back) <= len(NAMES):
            page = children_page(user=reader, size=4, cursor=cursor, walk=walk)
            back.append([c.pk for c in page.children])
            cursor = page.previous_cursor
        assert back == [[c.pk for c in page.children] for page in pages[-2::-1]]
        # Each child says why it is listed.
        listed = {c.pk: c for page in pages for c in page.children}
        first, second = sorted(listed)[:2]
        assert listed[first].is_team_member and not listed[first].is_child_contact
        assert listed[second].raised_concern and not listed[second].is_child_contact
        assert all(listed[pk].is_child_contact for pk in sorted(listed)[2:])


def test_both_ways_of_finding_a_page_give_the_same_pages_and_counts(world, reader):
    with tenant_context(world.tenant):
        for size in (1, 3, 5, 14, 50):
            walked, sorted_ = _walk(reader, size=size, walk=True), _walk(reader, size=size, walk=False)
            assert [[c.pk for c in p.children] for p in walked] == [[c.pk for c in p.children] for p in sorted_]


@pytest.mark.parametrize("walk", [True, False])
def test_a_child_that_leaves_the_list_during_the_walk_is_not_listed_and_the_walk_goes_on(world, reader, walk):
    with tenant_context(world.tenant):
        expected = _expected(reader)
        first = children_page(user=reader, size=4, cursor="", walk=walk)
        # The child the next cursor names, and one further on, stop being the reader's.
        contacts = set(ChildContact.objects.filter(user=reader).values_list("child_id", flat=True))
        leaving = [first.children[-1].pk, next(pk for pk in expected[8:] if pk in contacts)]
        assert leaving[0] in contacts
        ChildContact.objects.filter(child_id__in=leaving, user=reader).update(ended_at=timezone.now())
        rest, cursor = [], first.next_cursor
        while cursor and len(rest) <= len(NAMES):
            page = children_page(user=reader, size=4, cursor=cursor, walk=walk)
            rest += [c.pk for c in page.children]
            cursor = page.next_cursor
        assert rest == [pk for pk in expected[4:] if pk not in leaving]
        # The count is the first page's, carried in the cursor; starting again counts again.
        assert page.count == len(expected)
        assert children_page(user=reader, size=4, cursor="", walk=walk).count == len(expected) - 2


def test_later_pages_carry_the_first_pages_count_and_do_not_count_again(world, reader, monkeypatch):
    from modules.children import selectors

    with tenant_context(world.tenant):
        first = children_page(user=reader, size=4, cursor="")
        assert first.count == len(NAMES)
        counted = []
        monkeypatch.setattr(
            selectors, "_visible_count_and_total", lambda rule: counted.append(rule) or pytest.fail("counted")
        )
        pages, cursor = [], first.next_cursor
        while cursor and len(pages) <= len(NAMES):
            pages.append(children_page(user=reader, size=4, cursor=cursor))
            cursor = pages[-1].next_cursor
        back = children_page(user=reader, size=4, cursor=pages[-1].previous_cursor)
        assert [page.count for page in pages] == [len(NAMES)] * 3 and back.count == len(NAMES) and not counted


def test_a_count_in_a_cursor_cannot_be_forged(world, reader):
    from django.core import signing

    from modules.children import selectors

    with tenant_context(world.tenant):
        cursor = children_page(user=reader, size=4, cursor="").next_cursor
        user_id, direction, child_id, count, total = signing.loads(cursor, salt=selectors._CURSOR_SALT)
        assert (user_id, direction, count) == (reader.pk, "a", len(NAMES))
        payload = [user_id, direction, child_id, 10**6, total]
        forged = [
            signing.dumps(payload, salt="another salt"),
            signing.dumps(payload, key="not the server's key", salt=selectors._CURSOR_SALT),
            # the count changed under the server's own signature of the first
            signing.dumps(payload, salt=selectors._CURSOR_SALT).rsplit(":", 1)[0] + ":" + cursor.rsplit(":", 1)[1],
        ]
        for bad in forged:
            with pytest.raises(CursorInvalid):
                children_page(user=reader, size=4, cursor=bad)
        # Signed by the server but without the carried count (or with a negative one): refused, never a 500.
        for shape in ([user_id, direction, child_id], [user_id, direction, child_id, -1, total]):
            with pytest.raises(CursorInvalid):
                children_page(user=reader, size=4, cursor=signing.dumps(shape, salt=selectors._CURSOR_SALT))


def test_a_cursor_must_be_the_servers_own_for_this_user(world, reader):
    with tenant_context(world.tenant):
        cursor = children_page(user=reader, size=4, cursor="").next_cursor
        payload, signature = cursor.split(":", 1)
        forged = [
            "x",
            cursor[:-1] + ("A" if cursor[-1] != "A" else "B"),  # the signature altered
            payload + ":" + signature[::-1],
            "WzEsImEiLDFd:AAAAAAAAAAAAAAAAAAAAAAAAAAA",  # [1,"a",1] unsigned
        ]
        for bad in forged:
            with pytest.raises(CursorInvalid):
                children_page(user=reader, size=4, cursor=bad)
        with pytest.raises(CursorInvalid):  # another user's cursor
            children_page(user=world.contact, size=4, cursor=cursor)
        # The child the cursor names deleted since (gallring): start again.
        Child.objects.filter(pk=children_page(user=reader, size=4).children[-1].pk).delete()
        with pytest.raises(CursorInvalid):
            children_page(user=reader, size=4, cursor=cursor)


@pytest.mark.parametrize("walk", [True, False])
def test_an_offset_is_still_a_page_by_number(world, reader, walk):
    with tenant_context(world.tenant):
        expected = _expected(reader)
        page = children_page(user=reader, size=4, offset=8, walk=walk)
        assert [c.pk for c in page.children] == expected[8:12] and page.count == len(expected)
        after = children_page(user=reader, size=4, cursor=page.next_cursor, walk=walk)
        before = children_page(user=reader, size=4, cursor=page.previous_cursor, walk=walk)
        assert [c.pk for c in after.children] == expected[12:] and after.next_cursor is None
        assert [c.pk for c in before.children] == expected[4:8]


def test_someone_who_sees_no_child_gets_an_empty_page(world):
    with tenant_context(world.tenant):
        page = children_page(user=world.admin, size=4)
    assert (page.children, page.count, page.next_cursor, page.previous_cursor) == ([], 0, None, None)


def test_the_page_links_on_in_swedish_and_logs_every_child_shown(world, reader, monkeypatch):
    monkeypatch.setattr(views, "CHILD_LIST_PAGE_SIZE", 5)
    client = logged_in_client(world.tenant, reader.email)
    with tenant_context(world.tenant):
        expected = _expected(reader)
    shown, url, pages = [], "/barn/", []
    while url and len(pages) <= len(NAMES):
        html = client.get(url).content.decode()
        pages.append(html)
        shown += [int(pk) for pk in re.findall(r'href="/barn/(\d+)/"', html)]
        following = re.search(r'href="([^"]+)" rel="next">Nästa sida<', html)
        url = "/barn/" + unescape(following.group(1)) if following else None
    assert shown == expected
    assert "Barn du har åtkomst till: 14." in pages[0] and "Föregående sida" not in pages[0]
    assert "Föregående sida" in pages[-1] and "Nästa sida" not in pages[-1]
    back = re.search(r'href="([^"]+)" rel="prev">Föregående sida<', pages[-1]).group(1)
    html = client.get("/barn/" + unescape(back)).content.decode()
    assert [int(pk) for pk in re.findall(r'href="/barn/(\d+)/"', html)] == expected[5:10]
    assert client.get("/barn/?cursor=forged").status_code == 404
    with tenant_context(world.tenant):
        logged = AuditEntry.objects.filter(actor=reader, action="list").values_list("child_id", flat=True)
        assert sorted(logged) == sorted(expected + expected[5:10])


# None: as searches run; with a bound, the reader counts as a wide one and a bounded walk comes first (bound 3:
# too short, so it falls back; 1,000: the whole index).
@pytest.mark.parametrize(("walk", "bound"), [(True, None), (False, None), (None, None), (None, 3), (None, 1000)])
def test_name_search_finds_the_visible_children_whose_names_hold_every_word_in_name_order(
    world, reader, walk, bound, monkeypatch
):
    from modules.children import selectors

    if bound is not None:  # the reader sees 14 children: tried as if that were many
        monkeypatch.setattr(selectors, "SEARCH_WALK_BOUND", bound)
        monkeypatch.setattr(selectors, "SEARCH_WALK_FROM", 14)
    with tenant_context(world.tenant):
        visible = {c.pk: c for c in children_visible_to(user=reader)}
        expected = [pk for pk, c in visible.items() if "alva" in c.given_name.lower()]
        assert len(expected) == 5  # and as many Alvas among the children the reader does not see

        def search(query, limit=50):
            return [c.pk for c in children_search(user=reader, query=query, limit=limit, walk=walk)]

        assert search("ALVA") == expected and search("alva", limit=2) == expected[:2]
        assert search("lva ek") == [pk for pk in expected if visible[pk].family_name == "Ek"]
        assert search("%") == search("_") == search("zz") == []  # a wildcard is a character like any other
        hit = children_search(user=reader, query="Saga", limit=50, walk=walk)[0]
        assert (hit.family_name, hit.is_child_contact, hit.is_team_member) == ("Åberg", True, False)
