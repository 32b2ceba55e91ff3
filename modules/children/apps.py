from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "modules.children"
    label = "children"
    verbose_name = "Barn"
