from django.core.management.base import BaseCommand, CommandError

from tenants.migrate_all import migrate_all


class Command(BaseCommand):
    help = (
        "Migrate public, every tenant schema and the provisioning template. Decides in one query which "
        "schemas are behind, skips the rest, applies the same collected SQL to every schema behind (Django's "
        "executor per schema for migrations that run Python). Exits non-zero if any tenant failed."
    )

    # System checks cost a second per run at this size of project; `migrate` itself skips them too.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--executor", action="store_true", help="Use Django's executor for every schema behind (slow, safe)."
        )

    def handle(self, *args, executor=False, **options):
        verbosity = options.get("verbosity", 1)
        report = migrate_all(
            say=(self.stdout.write if verbosity >= 1 else (lambda message: None)), use_executor=executor
        )
        self.stdout.write(
            f"Done in {report.seconds:.2f} s: {len(report.migrated)} migrated "
            f"({report.by_sql} by SQL, {report.by_executor} by executor), {len(report.skipped)} skipped, "
            f"{len(report.failed)} failed; public: {report.public_migrated} migration(s); template: {report.template}; "
            f"spare schemas built: {report.spares_built}."
        )
        if report.failed:
            for schema, reason in sorted(report.failed.items()):
                self.stderr.write(f"FAILED {schema}: {reason}")
            raise CommandError(f"{len(report.failed)} tenant schema(s) failed to migrate; the others are migrated.")
