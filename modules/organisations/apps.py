from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "modules.organisations"
    label = "organisations"
    verbose_name = "Organisationer"

    def ready(self):
        from modules.organisations.onboarding import organisations_checklist_state
        from tenants.onboarding.checklist import item_source_register

        item_source_register("organisations", organisations_checklist_state)
