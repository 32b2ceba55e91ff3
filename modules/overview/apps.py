from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "modules.overview"
    label = "overview"
    verbose_name = "Översikt"
