from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "modules.casework"
    label = "casework"
    verbose_name = "Barnets process"
