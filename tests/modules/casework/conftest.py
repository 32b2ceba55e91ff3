import pytest
from django_tenants.utils import schema_context

from modules.model_config.services import model_drafts_load_defaults
from tenants.releases.services import release_install, release_publish


@pytest.fixture
def installed(world):
    """Ystad's wording published centrally and installed (current) in the world's tenant."""
    with schema_context("public"):
        model_drafts_load_defaults()
        release = release_publish(notes="Första", start_rollout=False)
    return release_install(tenant=world.tenant, release=release)
