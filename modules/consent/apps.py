from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "modules.consent"
    label = "consent"
    verbose_name = "Samtycken"
