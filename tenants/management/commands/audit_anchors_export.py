"""Print the audit chain anchors as JSON lines, for an external timestamp (RFC 3161, a transparency log, a
printout in a safe): once the anchors are out of the instance, even its owner role cannot rewrite history."""

import json

from django.core.management.base import BaseCommand

from modules.audit.selectors import audit_anchors


class Command(BaseCommand):
    help = "Print the audit chain anchors (all, or --schema NAME, --since ID) as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this tenant schema")
        parser.add_argument("--since", type=int, default=0, help="only anchors with an id above this one")

    def handle(self, *args, schema=None, since=0, **options):
        for anchor in audit_anchors(schema_name=schema):
            if anchor.id > since:
                record = {
                    "id": anchor.id,
                    "schema": anchor.schema_name,
                    "last_id": anchor.last_id,
                    "head_hash": anchor.head_hash,
                    "entries": anchor.entries,
                    "at": anchor.at.isoformat(),
                    "mac": anchor.mac,
                }
                self.stdout.write(json.dumps(record, sort_keys=True))
