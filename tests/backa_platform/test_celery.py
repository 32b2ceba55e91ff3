"""Tasks run in the schema of the tenant that enqueued them, under a real worker."""

import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_tenants.utils import tenant_context

from backa_platform.celery import app
from backa_platform.core.tasks import UnsafeTaskArgument, enqueue_on_commit
from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_create
from modules.accounts.tasks import send_invitation
from tests.factories import demo_tenant


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.mark.worker
def test_task_enqueued_for_ystad_runs_in_ystads_schema_and_skanes_in_skanes(committed_db, worker):
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    created = []
    try:
        # Both schemas number their invitations from their own sequence: the same id can mean two people.
        with tenant_context(ystad):
            created.append(
                (
                    ystad,
                    invitation_create(
                        email="anna@ystad.se", full_name="Anna", role=User.Role.STAFF, acting_user=None
                    ).pk,
                )
            )
        with tenant_context(skane):
            created.append(
                (
                    skane,
                    invitation_create(email="bo@skane.se", full_name="Bo", role=User.Role.STAFF, acting_user=None).pk,
                )
            )

        deadline = time.monotonic() + 30
        while len(mail.outbox) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

        sent = {message.to[0]: message.body for message in mail.outbox}
        assert set(sent) == {"anna@ystad.se", "bo@skane.se"}
        assert re.search(r"http://ystad\.localhost/invitation/", sent["anna@ystad.se"])
        assert re.search(r"http://skane\.localhost/invitation/", sent["bo@skane.se"])
    finally:
        for tenant, invitation_id in created:
            with tenant_context(tenant):
                Invitation.objects.filter(pk=invitation_id).delete()


def test_tasks_refuse_arguments_that_could_carry_personal_data(db):
    for unsafe in ("19121212-1212", "Anna Andersson", {"name": "Anna"}):
        with pytest.raises(UnsafeTaskArgument):
            enqueue_on_commit(send_invitation, invitation_id=unsafe)
