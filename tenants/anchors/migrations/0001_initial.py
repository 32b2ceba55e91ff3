from django.conf import settings
from django.db import migrations

FORWARD = r"""
CREATE TABLE public.audit_anchor (
    id bigserial PRIMARY KEY,
    schema_name text NOT NULL,
    last_id bigint NOT NULL CHECK (last_id >= 0),
    head_hash text NOT NULL,
    entries bigint NOT NULL CHECK (entries >= 0),
    at timestamptz NOT NULL,
    mac text NOT NULL
);
CREATE INDEX audit_anchor_schema_idx ON public.audit_anchor (schema_name, last_id);

-- The one way the runtime role adds an anchor. It runs as the owner, so it reads the named schema's log
-- itself and refuses an anchor that names an entry the log does not hold: no anchor for a rewritten head.
CREATE FUNCTION public.audit_anchor_take(
    p_schema text, p_last_id bigint, p_head_hash text, p_entries bigint, p_at timestamptz, p_mac text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    actual text;
    anchor_id bigint;
BEGIN
    IF p_last_id = 0 THEN
        actual := repeat('0', 64);
    ELSE
        EXECUTE format('SELECT hash FROM %I.audit_auditentry WHERE id = $1', p_schema) INTO actual USING p_last_id;
    END IF;
    IF actual IS DISTINCT FROM p_head_hash THEN
        RAISE EXCEPTION 'audit anchor refused: entry % is not the given head in %', p_last_id, p_schema
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO public.audit_anchor (schema_name, last_id, head_hash, entries, at, mac)
        VALUES (p_schema, p_last_id, p_head_hash, p_entries, p_at, p_mac) RETURNING id INTO anchor_id;
    RETURN anchor_id;
END;
$$;
REVOKE ALL ON FUNCTION public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text) FROM PUBLIC;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text);
DROP TABLE IF EXISTS public.audit_anchor;
"""


def grant_to_runtime_role(apps, schema_editor):
    """Read and call only; a runtime role made before this migration would otherwise hold default DML on it."""
    role = settings.DATABASE_RUNTIME_ROLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            name = schema_editor.quote_name(role)
            cursor.execute(f"REVOKE ALL ON public.audit_anchor, public.audit_anchor_id_seq FROM {name}")
            cursor.execute(f"GRANT SELECT ON public.audit_anchor TO {name}")
            cursor.execute(
                "GRANT EXECUTE ON FUNCTION public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text)"
                f" TO {name}"
            )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(grant_to_runtime_role, migrations.RunPython.noop),
    ]
