"""Anchors of four kinds (issue 17): ``head`` (hourly, as before), ``verified`` (the head an intact
``audit_verify`` reached: the next incremental verification starts there), ``checkpoint`` (a year's partition
closed: its last entry, hash and the entries counted up to it) and ``cull`` (that partition dropped after the
retention period: verification then starts from its checkpoint). The runtime role may add ``head`` and
``verified`` through ``audit_anchor_take``; checkpoints and culls are written by the owner, who makes and drops
the partitions."""

from django.conf import settings
from django.db import migrations

OLD_SIGNATURE = "public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text)"
NEW_SIGNATURE = "public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text, text)"

FORWARD = rf"""
ALTER TABLE public.audit_anchor
    ADD COLUMN kind text NOT NULL DEFAULT 'head'
        CHECK (kind IN ('head', 'verified', 'checkpoint', 'cull')),
    ADD COLUMN period date;
CREATE INDEX audit_anchor_kind_idx ON public.audit_anchor (schema_name, kind, last_id);
DROP FUNCTION {OLD_SIGNATURE};
CREATE FUNCTION public.audit_anchor_take(
    p_schema text, p_last_id bigint, p_head_hash text, p_entries bigint, p_at timestamptz, p_mac text,
    p_kind text DEFAULT 'head'
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    actual text;
    anchor_id bigint;
BEGIN
    IF p_kind NOT IN ('head', 'verified') THEN
        RAISE EXCEPTION 'audit anchor refused: kind % is written by the owner only', p_kind
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_last_id = 0 THEN
        actual := repeat('0', 64);
    ELSE
        EXECUTE format('SELECT hash FROM %I.audit_auditentry WHERE id = $1', p_schema) INTO actual USING p_last_id;
    END IF;
    IF actual IS DISTINCT FROM p_head_hash THEN
        RAISE EXCEPTION 'audit anchor refused: entry % is not the given head in %', p_last_id, p_schema
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO public.audit_anchor (schema_name, last_id, head_hash, entries, at, mac, kind)
        VALUES (p_schema, p_last_id, p_head_hash, p_entries, p_at, p_mac, p_kind) RETURNING id INTO anchor_id;
    RETURN anchor_id;
END;
$$;
REVOKE ALL ON FUNCTION {NEW_SIGNATURE} FROM PUBLIC;
"""


def grant_to_runtime_role(apps, schema_editor):
    role = settings.DATABASE_RUNTIME_ROLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {NEW_SIGNATURE} TO {schema_editor.quote_name(role)}")


class Migration(migrations.Migration):
    dependencies = [("anchors", "0001_initial")]

    operations = [
        migrations.RunSQL(FORWARD, migrations.RunSQL.noop),
        migrations.RunPython(grant_to_runtime_role, migrations.RunPython.noop),
    ]
