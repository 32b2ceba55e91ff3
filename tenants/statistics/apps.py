from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "tenants.statistics"
    label = "statistics"
    verbose_name = "Nationell statistik"
