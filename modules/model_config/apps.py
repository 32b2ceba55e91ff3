from django.apps import AppConfig


class ModelConfigConfig(AppConfig):
    name = "modules.model_config"
    label = "model_config"
    verbose_name = "Modellkonfiguration"
