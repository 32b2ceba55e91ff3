from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "tenants.releases"
    label = "releases"
    verbose_name = "Releaser och utrullning"
