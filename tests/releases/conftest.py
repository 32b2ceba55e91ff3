import pytest
from django_tenants.utils import schema_context

from modules.model_config.services import model_drafts_load_defaults
from modules.training.services import course_drafts_load_defaults


@pytest.fixture
def drafts(db):
    """The default content (Ystad's wording) as central drafts."""
    with schema_context("public"):
        model_drafts_load_defaults()
        course_drafts_load_defaults()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the rollout's task sends, eager here) of the block it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
