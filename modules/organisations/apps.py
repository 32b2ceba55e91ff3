from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "modules.organisations"
    label = "organisations"
    verbose_name = "Organisationer"
