"""The central rollout page in a real browser: its progress bar and rows follow the installs live."""

import time

from django.db import connection
from django_tenants.utils import schema_context

from modules.accounts.models import User
from modules.model_config.models import InstalledRelease, ModelItem
from modules.model_config.services import model_drafts_load_defaults
from modules.training.models import Course
from modules.training.services import course_drafts_load_defaults
from tenants.releases import services as release_services
from tenants.releases.models import Release, ReleaseEvent, Rollout
from tenants.releases.services import release_publish, rollout_start, rollout_target_run
from tests.factories import TEST_PASSWORD, browser_sign_in, demo_tenant


def test_rollout_page_shows_progress_live_as_tenants_install(live_site, page, monkeypatch):
    server = live_site("localhost")
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    # Installs are driven by hand below, one by one, so the page can be watched between them.
    monkeypatch.setattr(release_services, "_send_install_tasks", lambda pairs: None)
    editor = User.objects.create_user(
        email="e2e-redaktor@backabarnet.example.se", password=TEST_PASSWORD, full_name="Redaktör",
        role=User.Role.CONTENT_EDITOR,
    )  # fmt: skip
    try:
        model_drafts_load_defaults()
        course_drafts_load_defaults()
        release = release_publish(notes="Första", start_rollout=False)
        rollout = rollout_start(release=release, tenants=[ystad, skane])
        targets = list(rollout.targets.order_by("tenant__name"))
        browser_sign_in(page, server, editor.email)
        page.goto(f"{server}/rollouts/{rollout.pk}/")
        assert page.locator("#rollout-bar").get_attribute("value") == "0.0"
        assert page.locator("html").get_attribute("lang") == "sv"

        # Predicates as functions: a string expression is eval'd in the page, which its CSP refuses.
        rollout_target_run(target_id=targets[0].pk)
        page.wait_for_function("() => document.getElementById('rollout-bar').value == 50", timeout=10_000)
        rollout_target_run(target_id=targets[1].pk)
        page.wait_for_function("() => document.getElementById('rollout-bar').value == 100", timeout=10_000)
        states = page.locator('#rollout-targets [data-field="state"]').all_inner_texts()
        assert states == ["Installerad", "Installerad"]
        assert "Installerade: 2" in page.locator("#rollout-summary").inner_text()
    finally:
        time.sleep(0.2)
        connection.set_schema_to_public()
        for tenant in (ystad, skane):
            with schema_context(tenant.schema_name):
                InstalledRelease.objects.all().delete()
        ReleaseEvent.objects.all().delete()
        Rollout.objects.all().delete()
        Release.objects.all().delete()
        ModelItem.objects.filter(release__isnull=True).delete()
        Course.objects.filter(release__isnull=True).delete()
        User.objects.filter(pk=editor.pk).delete()
