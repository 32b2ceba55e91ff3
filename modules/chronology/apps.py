from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "modules.chronology"
    label = "chronology"
    verbose_name = "Kronologi"
