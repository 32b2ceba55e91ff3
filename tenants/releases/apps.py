from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "tenants.releases"
    label = "releases"
    verbose_name = "Releaser och utrullning"

    def ready(self):
        from modules.model_config.signals import draft_changed
        from tenants.provisioning.hooks import release_installer_register
        from tenants.releases.onboarding import release_install_latest
        from tenants.releases.services import draft_change_record

        release_installer_register(release_install_latest)
        draft_changed.connect(draft_change_record, dispatch_uid="releases.draft_change_record")
