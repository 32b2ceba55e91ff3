"""The hash chain is extended by the database: a BEFORE INSERT trigger takes the schema's lock, numbers the
entry after the lock (so the order of ids is the order of the chain), reads the chain head and computes the
entry's hash exactly as ``AuditEntry.compute_hash`` does (``audit_verify`` recomputes it in Python).

Why in the database: one INSERT per read instead of a lock, a read of the head and an insert (three round
trips under the lock, measured at about 4 ms per request), and no writer, old or new, can append to the log
without extending the chain. The function is made in the tenant's schema, as in 0002.
"""

from django.db import migrations

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
        coalesce(host(NEW.ip_address), '')
    ), 'UTF8')), 'hex');
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_chain ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_chain();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_auditentry_action")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
