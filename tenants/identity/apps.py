from django.apps import AppConfig


class CentralIdentityConfig(AppConfig):
    name = "tenants.identity"
    label = "central_identity"
    verbose_name = "Nationella identitetsleverantörer"

    def ready(self):
        # The instances read the registry and write the directory through modules.identity.registry, which
        # cannot import this level (DESIGN.md §3).
        from modules.identity import registry
        from tenants.identity import selectors, services

        registry.federation_lookup = selectors.federation_info
        registry.federation_list = selectors.federation_infos
        registry.directory_publish = services.directory_publish
        registry.central_sign_in_links = selectors.central_sign_in_links
