from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, schema_context

from modules.model_config.services import model_drafts_load_defaults
from modules.training.services import course_drafts_load_defaults


class Command(BaseCommand):
    help = (
        "Load the default model configuration and training material (Ystad's wording, Swedish and English) "
        "into the central drafts; with --publish, publish them as the first release if there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--no-rollout", action="store_true", help="publish without starting a rollout")

    def handle(self, *args, publish=False, no_rollout=False, **options):
        from tenants.releases.selectors import release_latest
        from tenants.releases.services import release_publish

        with schema_context(get_public_schema_name()):
            items = model_drafts_load_defaults()
            courses = course_drafts_load_defaults()
            self.stdout.write(f"Drafts loaded: {items} model items, {courses} courses.")
            if publish and release_latest() is None:
                release = release_publish(
                    notes="Första releasen: Ystads formuleringar av Backa barnet-modellen.",
                    start_rollout=not no_rollout,
                )
                self.stdout.write(f"Published release {release.version} ({release.checksum}).")
