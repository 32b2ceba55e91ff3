"""migrate_all: skips what is current, applies the same SQL to what is behind, reports failures."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from modules.accounts.models import User
from tenants.migrate_all import applied_migrations, migrate_all
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning.schema import schema_drop, schema_fingerprint
from tenants.provisioning.services import provisioning_job_run
from tests.factories import make_user


def _provisioned(central, subdomain, number):
    coordinator = make_user(central, email=f"nc-{subdomain}@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name=f"{subdomain} kommun",
        organisation_number=number,
        kind="municipality",
        county="T",
        subdomain=subdomain,
        contact_name="K",
        contact_email=f"k@{subdomain}.example.se",
        partners=["kommun"],
    )
    tenant = application_approve(application=application, acting_user=coordinator).tenant
    provisioning_job_run(job=tenant.provisioning_jobs.get())
    return tenant


def _put_behind(schema, *, drop_table=True):
    """Make the schema lack the sessions migration, as if it was added after the schema was built."""
    with connection.cursor() as cursor:
        if drop_table:
            cursor.execute(f'DROP TABLE "{schema}".django_session')
        cursor.execute(f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'sessions'")


def test_nothing_pending_skips_every_schema(db, ystad, skane, schema_template):
    report = migrate_all()

    assert {ystad.schema_name, skane.schema_name} <= set(report.skipped)
    assert report.migrated == {}
    assert report.failed == {}


def test_schemas_behind_get_the_same_sql_and_end_identical_to_a_migrated_schema(db, central, ystad, schema_template):
    behind = _provisioned(central, "efter", "212000-1918")
    _put_behind(behind.schema_name)
    assert ("sessions", "0001_initial") not in applied_migrations([behind.schema_name])[behind.schema_name]

    report = migrate_all(say=print)

    assert report.migrated == {behind.schema_name: 1}
    assert report.by_sql == 1
    assert ystad.schema_name in report.skipped
    assert schema_fingerprint(behind.schema_name) == schema_fingerprint(ystad.schema_name)


def test_one_failing_tenant_is_reported_and_does_not_stop_the_others(db, central, schema_template, capsys):
    broken = _provisioned(central, "trasig", "212000-2007")
    behind = _provisioned(central, "efter", "212000-2023")
    _put_behind(broken.schema_name, drop_table=False)  # the table is there: CREATE TABLE fails
    _put_behind(behind.schema_name)

    with pytest.raises(CommandError, match="1 tenant schema"):
        call_command("migrate_all")

    output = capsys.readouterr()
    assert "1 migrated" in output.out
    assert f"FAILED {broken.schema_name}: " in output.err
    assert "django_session" in output.err
    assert ("sessions", "0001_initial") in applied_migrations([behind.schema_name])[behind.schema_name]
    assert ("sessions", "0001_initial") not in applied_migrations([broken.schema_name])[broken.schema_name]


def test_spare_schemas_standing_ready_are_migrated_too(db, ystad, schema_template, settings):
    from tenants.provisioning.schema import spare_schemas, spare_schemas_refill

    settings.PROVISIONING_SPARE_SCHEMAS = 1
    for leftover in spare_schemas():
        schema_drop(leftover)
    spare_schemas_refill()
    (spare,) = spare_schemas()
    _put_behind(spare)

    report = migrate_all()

    assert report.migrated == {spare: 1}
    assert schema_fingerprint(spare) == schema_fingerprint(ystad.schema_name)
