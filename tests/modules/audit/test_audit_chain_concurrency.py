"""Concurrent writers extend one unbroken chain: the per-schema lock orders them."""

import threading

from django.db import connection, connections, transaction
from django_tenants.utils import tenant_context

from modules.audit.selectors import audit_chain_verify
from modules.audit.services import audit_record, audit_record_children
from tests.factories import demo_tenant


def test_concurrent_writers_keep_the_chain_intact(db):
    # `db`, not `committed_db`: run alone, a test using only committed_db gets no test database from
    # pytest-django (it sets up the databases that marked tests ask for) and would write to the real one.
    # The writer threads have their own connections and commit; their rows cannot be removed (that is the
    # point) and stay in the throwaway test database.
    skane = demo_tenant("skane")
    errors = []

    def writer(n):
        try:
            with tenant_context(skane):
                for i in range(15):
                    with transaction.atomic():
                        if i % 3:
                            audit_record(acting_user=None, action="view", object_type="bench", object_id=f"{n}-{i}")
                        else:
                            audit_record_children(
                                acting_user=None, action="list", child_ids=[n * 100 + i, n * 100 + i + 1]
                            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    with tenant_context(skane):
        check = audit_chain_verify()
    connection.set_schema_to_public()
    assert check.intact, check
    assert check.entries >= 4 * 15
