"""Each entry carries a keyed MAC the application computes (HMAC-SHA256 with AUDIT_CHAIN_KEY, which the
database never sees), and the database's chain hash now covers it.

Why a MAC per entry and not only signed checkpoints: the database keeps extending the unkeyed chain in one
INSERT (0004), so a writer can still recompute it; the MAC is what they cannot recompute, and checking it per
entry names the altered entry itself. A removed entry whose neighbours were re-linked leaves no bad MAC: the
signed anchors (tenants.anchors) catch that and the tail. A row written at a psql prompt has no MAC and is
reported as not written by the application. Entries from before this migration have none either: the hash
covers the MAC only when there is one, so their hashes are unchanged.

The runtime role may only insert and read entries: UPDATE and DELETE are also revoked, beside the trigger.
"""

from django.conf import settings
from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head text;
BEGIN
    -- One chain per schema: entries of one tenant wait on each other, tenants never do.
    PERFORM pg_advisory_xact_lock(1096107092, hashtext(TG_TABLE_SCHEMA));
    NEW.id := nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
    IF TG_TABLE_SCHEMA = current_schema() THEN
        -- The usual case (django-tenants' search_path): a static query, planned once per session.
        SELECT hash INTO head FROM audit_auditentry ORDER BY id DESC LIMIT 1;
    ELSE
        -- A writer with another search_path (a schema-qualified INSERT): name the table's own schema.
        EXECUTE format('SELECT hash FROM %I.%I ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO head;
    END IF;
    NEW.previous_hash := coalesce(head, repeat('0', 64));
    NEW.hash := encode(sha256(convert_to(concat_ws(chr(31),
        NEW.previous_hash,
        to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(NEW.actor_id::text, ''),
        coalesce(NEW.child_id::text, ''),
        NEW.action,
        NEW.object_type,
        NEW.object_id,
        coalesce(host(NEW.ip_address), ''),
        nullif(NEW.mac, '')
    ), 'UTF8')), 'hex');
    RETURN NEW;
END;
$$;
"""

def revoke_from_runtime_role(apps, schema_editor):
    role = settings.DATABASE_RUNTIME_ROLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM {schema_editor.quote_name(role)}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_in_database")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(blank=True, default="", db_default="", max_length=64),
        ),
        migrations.RunSQL(FORWARD, migrations.RunSQL.noop),
        migrations.RunPython(revoke_from_runtime_role, migrations.RunPython.noop),
    ]
