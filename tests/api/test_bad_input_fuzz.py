"""A little fuzzing (issue 14 §5): generated bodies and query strings to the child search, the registration,
an assessment and the lists that take numbers never get a 5xx. Bounded: a fixed seed (the same examples in
every run, so a failure reproduces) and a few dozen examples per endpoint, about 15 s in all here."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import logged_in_client

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Numbers that have answered 500 before: past PostgreSQL's integer and bigint, negative, zero.
EDGE_NUMBERS = st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 10**20, -(2**63) - 1])
# Personnummer-like text in ASCII, fullwidth, Arabic-Indic and other digits, with dashes and pluses.
NUMBER_TEXT = st.text(alphabet="0123456789０１２３٠١٢٣۰۱²-+–－ ", max_size=16)
# A valid number (the world's child's) in one of several scripts of digits: the same child every time.
VALID_NUMBER = st.sampled_from(["0", "０", "٠", "۰", "߀"]).map(
    lambda zero: "20150312-2382".translate({ord(str(d)): chr(ord(zero) + d) for d in range(10)})
)
SCALARS = st.none() | st.booleans() | st.integers() | EDGE_NUMBERS | st.floats(allow_nan=False) | st.text(max_size=30)
JSON = st.recursive(
    SCALARS | NUMBER_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


def _body(keys: list[str]):
    """A JSON object with some of the endpoint's own keys (and a stranger), each holding anything."""
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), JSON, max_size=len(keys) + 1)


def _raw(body) -> str:
    return json.dumps(body) if not isinstance(body, bytes) else body


def _no_server_error(response) -> None:
    assert response.status_code < 500, response.content[:500]


BAD_BYTES = st.binary(max_size=40) | st.just(b'{"q": ' + b"[" * 3000)


@pytest.fixture
def contact(world):
    return logged_in_client(world.tenant, world.contact.email)


def test_the_child_search_never_fails(world, contact):
    @FUZZ
    @given(body=_body(["q"]) | st.fixed_dictionaries({"q": NUMBER_TEXT | JSON}) | BAD_BYTES)
    def search(body):
        _no_server_error(contact.post("/api/children/search/", _raw(body), content_type="application/json"))

    search()


def test_registering_a_child_never_fails(world, contact):
    keys = ["personnummer", "given_name", "family_name", "concern", "as_child_contact", "guardians", "unit_ids"]
    registration = st.fixed_dictionaries(
        {
            "personnummer": NUMBER_TEXT | VALID_NUMBER,
            "given_name": st.text(max_size=10),
            "family_name": st.text(max_size=10),
        },
        optional={"unit_ids": st.lists(st.integers() | EDGE_NUMBERS, max_size=2), "guardians": JSON},
    )

    @FUZZ
    @given(body=_body(keys) | registration | BAD_BYTES)
    def register(body):
        _no_server_error(contact.post("/api/children/", _raw(body), content_type="application/json"))

    register()


def test_an_assessment_never_fails(world, installed, contact):
    keys = ["assessed_on", "ratings", "perspective_keys", "participants", "support_level_key"]
    keys += ["support_level_reason", "resilience", "triangle_notes", "goal_outcomes"]

    @FUZZ
    @given(body=_body(keys) | BAD_BYTES)
    def assess(body):
        response = contact.post(
            f"/api/children/{world.child.pk}/assessments/", _raw(body), content_type="application/json"
        )
        _no_server_error(response)

    assess()


def test_numbers_in_query_strings_never_fail(world, contact):
    admin = logged_in_client(world.tenant, world.admin.email)
    values = st.text(max_size=25) | st.integers().map(str) | EDGE_NUMBERS.map(str) | NUMBER_TEXT

    @FUZZ
    @given(page=values, child_id=values, actor_id=values)
    def query(page, child_id, actor_id):
        _no_server_error(contact.get("/api/children/", {"page": page}))
        _no_server_error(contact.get("/api/children/", {"cursor": page}))
        _no_server_error(admin.get("/api/access-review/", {"child_id": child_id}))
        _no_server_error(admin.get("/api/access-review/", {"actor_id": actor_id, "since": page}))

    query()
