"""Tenants without a ready schema (archived, provisioning failed before the schema) break no per-tenant loop.

Every migration, per-tenant command and periodic fan-out goes over ``tenants_ready``; a tenant that fails
inside one of the commands is reported and the others still run, then the command exits non-zero.
"""

from io import StringIO

import pytest
from celery.signals import task_prerun
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.module_loading import import_string

from modules.accounts.models import User
from tenants.migrate_all import migrate_all
from tenants.models import Tenant
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning.models import ProvisioningJob
from tenants.selectors import tenants_ready
from tests.factories import make_user


def _tenant_row(*, name, subdomain, number, status, schema: bool) -> Tenant:
    tenant = Tenant(
        schema_name=f"t_{subdomain}", name=name, kind=Tenant.Kind.MUNICIPALITY,
        organisation_number=number, county="M", status=status,
    )  # fmt: skip
    tenant.auto_create_schema = False
    tenant.save()
    if schema:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA t_{subdomain}")
    return tenant


@pytest.fixture
def archived(db):
    """What tenant_archive leaves: the row, status archived, the schema dropped."""
    return _tenant_row(
        name="Arkiverade kommun",
        subdomain="arkiverad",
        number="212000-1918",
        status=Tenant.Status.ARCHIVED,
        schema=False,
    )


@pytest.fixture
def failed_provisioning(central):
    """An approved application whose provisioning job failed before it made the schema."""
    coordinator = make_user(central, email="nc-ready@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name="Avbrutna kommun",
        organisation_number="212000-2007",
        kind="municipality",
        county="M",
        subdomain="avbruten",
        contact_name="K",
        contact_email="k@avbruten.example.se",
        partners=["kommun"],
    )
    tenant = application_approve(application=application, acting_user=coordinator).tenant
    ProvisioningJob.objects.filter(tenant=tenant).update(
        status=ProvisioningJob.Status.FAILED, error="create_schema: OperationalError: connection lost"
    )
    assert tenant.status == Tenant.Status.PROVISIONING
    return tenant


@pytest.fixture
def not_ready(archived, failed_provisioning):
    return [archived, failed_provisioning]


@pytest.fixture
def emptied(db):
    """A tenant in use whose schema is there but holds none of its tables: every command fails in it.

    Its schema name sorts first, so the commands meet it before the demo tenants.
    """
    return _tenant_row(
        name="Abbekås kommun", subdomain="abbekas", number="212000-0142", status=Tenant.Status.ACTIVE, schema=True
    )


def test_ready_tenants_are_those_in_use_or_paused_whose_schema_exists_in_one_query(
    db, ystad, skane, not_ready, django_assert_num_queries
):
    Tenant.objects.filter(pk=skane.pk).update(status=Tenant.Status.SUSPENDED)
    without_schema = _tenant_row(
        name="Tappade kommun", subdomain="tappad", number="212000-2023", status=Tenant.Status.ACTIVE, schema=False
    )

    with django_assert_num_queries(1):
        ready = list(tenants_ready().values_list("schema_name", flat=True))
    assert ready == sorted([ystad.schema_name, skane.schema_name])
    assert list(tenants_ready(in_service=True).values_list("schema_name", flat=True)) == [ystad.schema_name]
    for tenant in [*not_ready, without_schema]:
        assert tenant.schema_name not in ready


def test_migrations_include_a_schema_provisioning_has_already_made(db, ystad, failed_provisioning):
    # The job failed after its first step: the retry must open a schema migrated like every other.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {failed_provisioning.schema_name}")

    assert failed_provisioning.schema_name in tenants_ready(for_migrations=True).values_list("schema_name", flat=True)
    assert failed_provisioning.schema_name not in tenants_ready().values_list("schema_name", flat=True)


def test_migrate_schemas_as_make_run_calls_it_skips_tenants_without_a_schema(db, ystad, skane, not_ready, capsys):
    call_command("migrate_schemas", interactive=False, verbosity=1)

    output = capsys.readouterr().out
    assert "Skipped 2 tenant(s) without a ready schema" in output
    assert "t_arkiverad" in output and "t_avbruten" in output
    assert f"{ystad.schema_name}] === Starting migration" in output


def test_migrate_all_skips_tenants_without_a_schema(db, ystad, skane, not_ready, schema_template):
    report = migrate_all()

    assert report.failed == {}
    assert {ystad.schema_name, skane.schema_name} <= set(report.skipped)
    assert not {tenant.schema_name for tenant in not_ready} & (set(report.skipped) | set(report.migrated))


COMMANDS = {
    "audit_verify": "intact",
    "consent_expiry_check": "expired consents handled",
    "personnummer_rotate_keys": "re-encrypted",
}


@pytest.mark.parametrize("command", COMMANDS)
def test_per_tenant_commands_run_in_every_ready_tenant_and_pass_over_the_others(db, ystad, skane, not_ready, command):
    out = StringIO()
    call_command(command, stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == sorted([ystad.schema_name, skane.schema_name])
    assert all(COMMANDS[command] in line for line in lines)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_tenant_failing_in_a_command_is_reported_and_the_others_still_run(db, ystad, skane, emptied, command):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=emptied.schema_name):
        call_command(command, stdout=out, stderr=err)

    assert f"{emptied.schema_name}: FAILED ProgrammingError: relation" in err.getvalue()
    assert "does not exist" in err.getvalue()
    done = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert done == sorted([ystad.schema_name, skane.schema_name])


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_for_one_schema_refuses_a_tenant_that_is_not_ready(db, archived, command):
    with pytest.raises(CommandError, match="No ready tenant with schema 't_arkiverad'"):
        call_command(command, schema=archived.schema_name)


@pytest.fixture
def reached():
    """The schema each task sent by a fan-out ran in (tasks run eagerly in tests)."""
    schemas = []

    def record(sender=None, **kwargs):
        # Connected after tenant-schemas-celery's own receiver, which has switched the schema by now.
        schemas.append((sender.name, connection.schema_name))

    task_prerun.connect(record, weak=False)
    yield schemas
    task_prerun.disconnect(record)


@pytest.mark.parametrize(
    ("fan_out", "task"),
    [
        ("tenants.tasks.send_reminders_everywhere", "modules.casework.tasks.send_reminders"),
        ("tenants.tasks.cull_closed_cases_everywhere", "modules.casework.tasks.cull_closed_cases"),
        ("tenants.tasks.handle_expired_consents_everywhere", "modules.consent.tasks.handle_expired_consents"),
        ("tenants.tasks.audit_partitions_maintain_everywhere", "modules.audit.tasks.audit_partitions_maintain_here"),
        ("tenants.statistics.tasks.statistics_snapshot_everywhere", "tenants.statistics.tasks.statistics_snapshot"),
        ("tenants.tasks.send_training_reminders_everywhere", "modules.training.tasks.send_training_reminders"),
    ],
)
def test_daily_fan_outs_reach_every_tenant_in_service_and_no_other(db, ystad, skane, not_ready, reached, fan_out, task):
    # A tenant still being introduced (införande) is served to its staff, so it gets the daily work too.
    Tenant.objects.filter(pk=skane.pk).update(status=Tenant.Status.ONBOARDING)
    paused = _tenant_row(
        name="Pausade kommun", subdomain="pausad", number="212000-1975", status=Tenant.Status.SUSPENDED, schema=True
    )
    without_schema = _tenant_row(
        name="Tappade kommun", subdomain="tappad", number="212000-2023", status=Tenant.Status.ACTIVE, schema=False
    )

    sent = import_string(fan_out).apply().get()

    assert sent == 2
    assert sorted(schema for name, schema in reached if name == task) == sorted([ystad.schema_name, skane.schema_name])
    for tenant in [*not_ready, paused, without_schema]:
        assert tenant.schema_name not in {schema for _, schema in reached}


def test_beat_sends_the_consent_expiry_daily():
    from celery.schedules import crontab
    from django.conf import settings

    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tenants.tasks.handle_expired_consents_everywhere" in entries
    # The sweep of lost work runs every few seconds; a restart only delays it by one period.
    assert entries.pop("tenants.tasks.resume_lost_work") == settings.WORK_SWEEP_SECONDS
    # The outbox relay (every minute, backa_platform/core/outbox.py) is no daily work; the fan-outs are.
    entries.pop("backa_platform.core.tasks.relay_outbox")
    # Releases approved for a date and time go out within five minutes of it: a lookup in public, no fan-out.
    assert entries.pop("tenants.releases.tasks.release_proposals_publish_due_task").minute == set(range(0, 60, 5))
    for schedule in entries.values():
        # A fixed time of day: beat's schedule file does not survive a pod restart (helm: /tmp is an emptyDir),
        # and an interval of 24 h would start counting again at every deploy.
        assert isinstance(schedule, crontab)
        # Hourly work (the audit anchors) is a fixed minute of every hour, for the same reason.
        assert len(schedule.minute) == 1 and len(schedule.hour) in (1, 24)
