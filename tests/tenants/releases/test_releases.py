"""Publishing, diffs, installing into tenants, tampering, pinning, local additions, failure and retry."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from modules.model_config.models import InstalledRelease, LocalResource, ModelItem
from modules.model_config.selectors import model_item_in_release
from modules.model_config.services import local_resource_create, model_item_save
from modules.training.models import Course
from modules.training.services import course_save
from tenants.models import Tenant
from tenants.releases.bundle import BundleError, bundle_checksum, bundle_validate
from tenants.releases.models import Release, RolloutTarget
from tenants.releases.selectors import release_latest, tenant_current_version, tenant_held_checksum
from tenants.releases.services import (
    ReleaseError,
    release_install,
    release_publish,
    rollout_target_retry,
    tenant_release_follow,
    tenant_release_pin,
)


def _rename_area(key: str, name_sv: str) -> None:
    item = ModelItem.objects.get(release__isnull=True, kind=ModelItem.Kind.AREA, key=key)
    model_item_save(
        item=item,
        kind=item.kind,
        key=item.key,
        name_sv=name_sv,
        name_en=item.name_en,
        description_sv=item.description_sv,
        description_en=item.description_en,
        details=item.details,
    )


def test_default_release_holds_ystads_eight_areas_and_three_triangle_sides_in_two_languages(drafts):
    release = release_publish(notes="Första", start_rollout=False)
    areas = release.bundle["model"]["areas"]
    assert [area["name"]["sv"] for area in areas] == [
        "Trygghet", "Tillhörighet", "Omsorg", "Fritid", "Hälsa", "Utveckling", "Att bli respekterad", "Att ta ansvar",
    ]  # fmt: skip
    assert all(area["name"]["en"] and area["details"]["guiding_questions"] for area in areas)
    sides = release.bundle["model"]["triangle_sides"]
    assert [side["name"]["sv"] for side in sides] == [
        "Hur jag växer och utvecklas", "Vad jag behöver från dem som tar hand om mig", "Min omvärld",
    ]  # fmt: skip
    assert all(side["details"]["sub_areas"] for side in sides)
    assert len(release.bundle["model"]["practitioner_questions"]) == 5
    assert {p["key"] for p in release.bundle["model"]["perspectives"]} == {"barnet", "vardnadshavare", "professionell"}


def test_publishing_freezes_drafts_into_a_numbered_release_with_a_valid_bundle_and_checksum(drafts):
    first = release_publish(notes="Första", start_rollout=False)
    assert first.version == 1
    assert first.checksum == bundle_checksum(first.bundle)
    bundle_validate(first.bundle, checksum=first.checksum)
    _rename_area("trygghet", "Trygghet och skydd")
    # The published release does not follow the drafts.
    assert Release.objects.get(pk=first.pk).bundle["model"]["areas"][0]["name"]["sv"] == "Trygghet"
    second = release_publish(notes="Ny formulering", start_rollout=False)
    assert second.version == 2 and second.checksum != first.checksum


def test_diff_names_what_was_added_changed_and_removed(drafts):
    release_publish(notes="Första", start_rollout=False)
    _rename_area("trygghet", "Trygghet och skydd")
    ModelItem.objects.get(release__isnull=True, kind="practitioner_questions", key="andra").delete()
    course_save(
        key="bhv", title_sv="BHV och Backa barnet", title_en="Child health", target_roles=["staff"], required=False
    )
    diff = release_publish(notes="Ändringar", start_rollout=False).diff

    areas = diff["sections"]["areas"]
    assert areas["added"] == [] and areas["removed"] == []
    assert areas["changed"] == [
        {
            "key": "trygghet",
            "name": {"sv": "Trygghet och skydd", "en": "Safe"},
            "changes": [{"field": "name.sv", "old": "Trygghet", "new": "Trygghet och skydd"}],
        }
    ]
    assert [q["key"] for q in diff["sections"]["practitioner_questions"]["removed"]] == ["andra"]
    assert [c["key"] for c in diff["sections"]["courses"]["added"]] == ["bhv"]
    assert diff["sections"]["rating_scales"] == {"added": [], "removed": [], "changed": []}


def test_publishing_nothing_new_is_refused_with_a_message(drafts):
    release_publish(notes="Första", start_rollout=False)
    with pytest.raises(ReleaseError, match="Inget har ändrats"):
        release_publish(notes="Igen", start_rollout=False)


def test_rollout_installs_the_same_content_in_every_tenant(drafts, ystad, skane, run_on_commit):
    with run_on_commit():
        release = release_publish(notes="Första")
    targets = {target.tenant.schema_name: target for target in release.rollouts.get().targets.all()}
    assert {targets[t.schema_name].state for t in (ystad, skane)} == {RolloutTarget.State.INSTALLED}
    assert all(targets[t.schema_name].installed_at for t in (ystad, skane))
    # What each tenant holds, rebuilt from its own rows, has the release's checksum.
    assert tenant_held_checksum(tenant=ystad, version=1) == release.checksum
    assert tenant_held_checksum(tenant=skane, version=1) == release.checksum
    with tenant_context(ystad):
        assert ModelItem.objects.filter(release__version=1, kind="areas").count() == 8


def test_installing_the_same_release_twice_changes_nothing(drafts, ystad):
    release = release_publish(notes="Första", start_rollout=False)
    release_install(tenant=ystad, release=release)
    with tenant_context(ystad):
        before = (
            list(InstalledRelease.objects.values_list("pk", "installed_at", "is_current")),
            ModelItem.objects.count(),
            Course.objects.count(),
        )
    release_install(tenant=ystad, release=release)
    with tenant_context(ystad):
        after = (
            list(InstalledRelease.objects.values_list("pk", "installed_at", "is_current")),
            ModelItem.objects.count(),
            Course.objects.count(),
        )
    assert before == after


@pytest.mark.parametrize("tampering", ["content", "schema"])
def test_a_tampered_bundle_is_refused_and_nothing_is_installed(drafts, ystad, tampering):
    release = release_publish(notes="Första", start_rollout=False)
    bundle = release.bundle
    if tampering == "content":
        # Someone edits the stored bundle: the checksum no longer matches.
        bundle["model"]["areas"][0]["name"]["sv"] = "Ändrad i smyg"
        Release.objects.filter(pk=release.pk).update(bundle=bundle)
    else:
        # Checksum recomputed, but the bundle breaks the schema (an area without an English name).
        del bundle["model"]["areas"][0]["name"]["en"]
        Release.objects.filter(pk=release.pk).update(bundle=bundle, checksum=bundle_checksum(bundle))
    release.refresh_from_db()
    with pytest.raises(BundleError):
        release_install(tenant=ystad, release=release)
    with tenant_context(ystad):
        assert not InstalledRelease.objects.exists()
        assert not ModelItem.objects.exists()
        assert not Course.objects.exists()


def test_a_tenant_pinned_to_an_old_release_keeps_it_when_a_new_one_rolls_out(drafts, ystad, skane, run_on_commit):
    with run_on_commit():
        first = release_publish(notes="Första")
    tenant_release_pin(tenant=ystad, release=first)
    _rename_area("trygghet", "Trygghet och skydd")
    with run_on_commit():
        second = release_publish(notes="Andra")
    states = {t.tenant_id: t.state for t in second.rollouts.get().targets.all()}
    assert states == {ystad.pk: RolloutTarget.State.PINNED, skane.pk: RolloutTarget.State.INSTALLED}
    assert tenant_current_version(ystad) == 1
    assert tenant_current_version(skane) == 2
    # Choosing to follow the latest adopts release 2 at once.
    tenant_release_follow(tenant=ystad)
    assert tenant_current_version(ystad) == 2


def test_local_courses_resources_and_contacts_survive_an_update(drafts, ystad, run_on_commit):
    with run_on_commit():
        release_publish(notes="Första")
    with tenant_context(ystad):
        course_save(key="ystad-lokalt", title_sv="Lokala rutiner i Ystad", title_en="Local routines",
                    target_roles=["staff"], required=True)  # fmt: skip
        local_resource_create(kind=LocalResource.Kind.CONTACT, title="Familjecentralen", phone="0411-57 70 00")
    _rename_area("trygghet", "Trygghet och skydd")
    with run_on_commit():
        release_publish(notes="Andra")
    assert tenant_current_version(ystad) == 2
    with tenant_context(ystad):
        assert Course.objects.filter(release__isnull=True, key="ystad-lokalt").exists()
        assert LocalResource.objects.filter(title="Familjecentralen").exists()


def test_an_old_release_keeps_its_wording_after_an_update(drafts, ystad, run_on_commit):
    with run_on_commit():
        release_publish(notes="Första")
    _rename_area("trygghet", "Trygghet och skydd")
    with run_on_commit():
        release_publish(notes="Andra")
    with tenant_context(ystad):
        assert model_item_in_release(version=1, kind="areas", key="trygghet").name_sv == "Trygghet"
        assert model_item_in_release(version=2, kind="areas", key="trygghet").name_sv == "Trygghet och skydd"


@pytest.fixture
def broken_tenant(db):
    """A tenant whose schema exists but has no tables: every install into it fails."""
    tenant = Tenant(
        schema_name="t_trasig", name="Trasiga kommun", kind=Tenant.Kind.MUNICIPALITY,
        organisation_number="212000-0142", county="M", status=Tenant.Status.ACTIVE,
    )  # fmt: skip
    tenant.auto_create_schema = False
    tenant.save()
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_trasig")
    return tenant


def test_a_failing_tenant_does_not_stop_the_rollout_and_can_be_retried(
    drafts, ystad, skane, broken_tenant, run_on_commit
):
    with run_on_commit():
        release = release_publish(notes="Första")
    targets = {t.tenant_id: t for t in release.rollouts.get().targets.all()}
    assert targets[ystad.pk].state == targets[skane.pk].state == RolloutTarget.State.INSTALLED
    failed = targets[broken_tenant.pk]
    assert failed.state == RolloutTarget.State.FAILED
    assert "saknar modellkonfigurationens tabeller" in failed.reason
    assert tenant_held_checksum(tenant=ystad, version=1) == release.checksum

    # The schema is repaired (here: its migrations run), then the retry installs.
    from django.core.management import call_command

    call_command("migrate_schemas", schema_name="t_trasig", interactive=False, verbosity=0)
    with run_on_commit():
        rollout_target_retry(target=failed)
    failed.refresh_from_db()
    assert failed.state == RolloutTarget.State.INSTALLED and failed.reason == ""
    assert tenant_held_checksum(tenant=broken_tenant, version=1) == release.checksum


def test_retrying_an_installed_tenant_is_refused(drafts, ystad, run_on_commit):
    with run_on_commit():
        release = release_publish(notes="Första")
    target = release.rollouts.get().targets.get(tenant=ystad)
    with pytest.raises(ReleaseError):
        rollout_target_retry(target=target)


def test_release_latest_is_what_provisioning_installs(drafts, ystad):
    assert release_latest() is None
    release = release_publish(notes="Första", start_rollout=False)
    assert release_latest() == release
    with schema_context(ystad.schema_name):
        assert not InstalledRelease.objects.exists()


def test_the_defaults_command_loads_drafts_once_and_publishes_the_first_release(db, ystad, run_on_commit):
    from django.core.management import call_command

    with run_on_commit():
        call_command("content_defaults_load", "--publish", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("content_defaults_load", "--publish", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Release.objects.count() == 1
    assert ModelItem.objects.filter(release__isnull=True, kind="areas").count() == 8
    assert tenant_current_version(ystad) == 1


def test_moving_an_area_shows_as_a_changed_position_in_the_diff(drafts):
    release_publish(notes="Första", start_rollout=False)
    ModelItem.objects.filter(release__isnull=True, kind="areas", key="att-ta-ansvar").update(position=0)
    ModelItem.objects.filter(release__isnull=True, kind="areas", key="trygghet").update(position=7)
    changed = {
        c["key"]: c["changes"]
        for c in release_publish(notes="Ny ordning", start_rollout=False).diff["sections"]["areas"]["changed"]
    }
    assert {"field": "position", "old": 8, "new": 1} in changed["att-ta-ansvar"]
