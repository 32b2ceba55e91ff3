from django.apps import AppConfig


class AnchorsConfig(AppConfig):
    name = "tenants.anchors"
    label = "anchors"
    verbose_name = "Förankring av loggkedjor"
