from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "modules.training"
    label = "training"
    verbose_name = "Utbildning"
