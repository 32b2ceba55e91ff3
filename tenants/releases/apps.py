from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "tenants.releases"
    label = "releases"
    verbose_name = "Releaser och utrullning"

    def ready(self):
        from tenants.onboarding.checklist import item_source_register
        from tenants.provisioning.hooks import release_installer_register
        from tenants.releases.onboarding import release_checklist_state, release_install_latest

        release_installer_register(release_install_latest)
        item_source_register("release", release_checklist_state)
