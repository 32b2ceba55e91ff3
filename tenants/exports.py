"""Complete exports of one tenant's schema: pg_dump, a manifest with row counts and a checksum, and a
restore into a scratch schema to prove the dump is usable before anything is dropped."""

import hashlib
import json
import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tenants.provisioning.schema import (
    SchemaError,
    client_command,
    libpq_environment,
    quote_identifier,
    schema_drop,
)


def _tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1",
            [schema_name],
        )
        return [row[0] for row in cursor.fetchall()]


def row_counts(schema_name: str) -> dict[str, int]:
    quoted = quote_identifier(schema_name)
    tables = _tables(schema_name)
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT '{table}', count(*) FROM {quoted}.{quote_identifier(table)}"  # noqa: S608 - checked identifiers
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dump_schema(*, schema_name: str, directory: Path) -> tuple[Path, dict]:
    """pg_dump the schema (plain SQL, structure and data) and write its manifest beside it."""
    quote_identifier(schema_name)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    path = directory / f"{schema_name}-{stamp}.sql"
    result = subprocess.run(  # noqa: S603 - fixed arguments, checked schema name
        client_command("pg_dump", "--schema", schema_name, "--no-owner", "--no-privileges", "--file", str(path)),
        env=libpq_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SchemaError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    manifest = {
        "schema": schema_name,
        "created_at": timezone.now().isoformat(),
        "format": "pg_dump plain SQL",
        "file": path.name,
        "size_bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        "row_counts": row_counts(schema_name),
    }
    path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return path, manifest


def _renamed_dump(path: Path, old: str, new: str) -> str:
    """The dump with its schema renamed everywhere except inside the data of COPY blocks."""
    pattern = re.compile(rf'(?<![A-Za-z0-9_]){re.escape(old)}(?=[."; ,)\n]|$)')
    out, in_copy = [], False
    for line in path.read_text().splitlines(keepends=True):
        if in_copy:
            out.append(line)
            if line.rstrip("\n") == "\\.":
                in_copy = False
            continue
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            in_copy = True
        if line.startswith("\\restrict") or line.startswith("\\unrestrict"):
            continue
        out.append(pattern.sub(new, line))
    return "".join(out)


def restore_check(*, path: Path, manifest: dict) -> dict:
    """Restore the dump into a scratch schema, compare every table's row count, drop the scratch schema."""
    if sha256_of(path) != manifest["sha256"]:
        raise SchemaError("The export's checksum does not match its manifest.")
    scratch = f"restore_check_{manifest['schema']}"[:63]
    schema_drop(scratch)
    script = _renamed_dump(path, manifest["schema"], scratch)
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            client_command("psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"),
            input=script,
            env=libpq_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SchemaError(f"Restoring the export failed: {result.stderr.strip()[:500]}")
        restored = row_counts(scratch)
    finally:
        schema_drop(scratch)
    if restored != manifest["row_counts"]:
        raise SchemaError("The restored export does not have the same rows as the tenant.")
    return restored


def export_directory() -> Path:
    return Path(settings.TENANT_EXPORT_DIR)


# --- Download (national coordinators, tenants/console/views.py) -------------------------------------------


def tenant_export_open(*, export, acting_user) -> tuple:
    """Open a verified export for download and record who fetched it (a tenant event, as the export is in
    public). Returns (file handle, file name, content type); None when there is nothing to hand out: not
    verified, or the file is gone or lies outside TENANT_EXPORT_DIR (the path is a stored string)."""
    from django.db import transaction

    from tenants.models import TenantEvent
    from tenants.services import record_event

    if export.verified_at is None:
        return None
    path = Path(export.path).resolve()
    if not path.is_relative_to(export_directory().resolve()) or not path.is_file():
        return None
    handle = path.open("rb")
    with transaction.atomic():
        record_event(
            tenant=export.tenant, kind=TenantEvent.Kind.EXPORT_DOWNLOADED, acting_user=acting_user, export_id=export.pk
        )
    return handle, path.name, "application/sql"
