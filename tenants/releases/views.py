"""Pages: authoring and publishing on the central site, live rollout progress, and a tenant's release choice."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm, form_submit
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, validate_phone_number
from modules.accounts import rules
from modules.accounts.decorators import rule_required
from modules.casework.forms import AreaPreviewForm
from modules.model_config.forms import ModelItemEditor
from modules.model_config.models import ModelItem
from modules.model_config.selectors import model_items
from modules.model_config.services import ModelConfigError, model_item_delete, model_item_save
from modules.training.selectors import courses_of
from tenants.releases.bundle import BundleError, bundle_diff, change_in_words
from tenants.releases.models import Release, ReleaseProposal, Rollout, RolloutTarget
from tenants.releases.selectors import (
    release_by_version,
    release_latest,
    release_proposals_open,
    releases_published,
    rollout_progress,
    rollout_targets,
    rollouts,
    tenant_release_overview,
)
from tenants.releases.services import (
    ReleaseError,
    draft_preview,
    release_proposal_approve,
    release_proposal_reject,
    release_propose,
    rollout_target_retry,
    tenant_release_follow,
    tenant_release_pin,
)

KIND_LABELS = dict(ModelItem.Kind.choices)
KIND_LABELS["courses"] = gettext_lazy("Kurser")


def _is_central(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.is_central


content_authority_required = rule_required(rules.may_author_content, site=rules.CENTRAL)
local_admin_required = rule_required(rules.is_local_admin, site=rules.TENANT)


def _diff_sections(diff: dict) -> list[dict]:
    """The diff's sections with changes, each change also in words ("Fritid › Vägledande frågor › fråga 3 …")."""
    language = "en" if (translation.get_language() or "sv").startswith("en") else "sv"
    return [
        {
            "kind": kind,
            "label": KIND_LABELS.get(kind, kind),
            "added": section["added"],
            "removed": section["removed"],
            "changed": [
                {
                    **entry,
                    "changes": [
                        change_in_words(item_name=entry["name"][language] or entry["name"]["sv"], change=change)
                        for change in entry["changes"]
                    ],
                }
                for entry in section["changed"]
            ],
        }
        for kind, section in diff["sections"].items()
        if section["added"] or section["removed"] or section["changed"]
    ]


# --- Central: drafts ------------------------------------------------------------------------------
@content_authority_required
def drafts(request):
    items = model_items(release=None).order_by("kind", "position", "key")
    groups = [
        {"kind": kind, "label": label, "items": [item for item in items if item.kind == kind]}
        for kind, label in ModelItem.Kind.choices
    ]
    return render(request, "releases/drafts.html", {"groups": groups, "courses": courses_of(release=None)})


def _in_both_languages(render_one) -> dict[str, str]:
    """``render_one()`` rendered once in Swedish and once in English (a preview as staff see it in each)."""
    rendered = {}
    for language in ("sv", "en"):
        with translation.override(language):
            rendered[language] = render_one()
    return rendered


def _area_preview(item: ModelItem) -> dict[str, str]:
    scale = model_items(release=None).filter(kind=ModelItem.Kind.RATING_SCALE).order_by("position", "key").first()
    levels = scale.details.get("levels", []) if scale else []
    return _in_both_languages(
        lambda: AreaPreviewForm(area=item, levels=levels, prefix=f"preview-{translation.get_language()}").render()
    )


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_item_edit(request, pk=None):
    item = get_object_or_404(ModelItem, pk=pk, release__isnull=True) if pk else None
    kind = item.kind if item else request.GET.get("kind", "")
    if kind not in ModelItem.Kind.values:
        raise Http404
    if request.method == "POST" and "delete" in request.POST and item:
        model_item_delete(item=item, acting_user=request.user)
        messages.success(request, _("Utkastet är borttaget."))
        return redirect("content-drafts")
    editor = ModelItemEditor(kind, item=item, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and editor.is_valid():
        try:
            item = model_item_save(item=item, kind=kind, acting_user=request.user, **editor.values())
        except ModelConfigError as error:
            editor.refusal_add(error)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect("content-item-edit", pk=item.pk)
    preview = _area_preview(item) if item is not None and kind == ModelItem.Kind.AREA else None
    return render(
        request,
        "releases/item_form.html",
        {
            "editor": editor,
            "form": editor.form,
            "row_lists": [editor.rows] if editor.rows else [],
            "has_errors": editor.has_errors,
            "item": item,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "preview": preview,
        },
    )


class ProposeForm(AccessibleForm):
    notes = forms.CharField(
        label=gettext_lazy("Releaseanteckningar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Vad har ändrats och varför. Visas för alla kommuner och regioner."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


class ApproveForm(AccessibleForm):
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publicera vid (valfritt)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=gettext_lazy("Tomt: publiceras och rullas ut nu. Ett datum: publiceras då, av sig själv."),
    )


class RejectForm(AccessibleForm):
    note = forms.CharField(
        label=gettext_lazy("Varför avslås förslaget?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def field_for(self, service_key: str) -> str:
        return service_key


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_preview_page(request):
    """The drafts' diff to the latest release, and the editor's proposal for a coordinator to review."""
    preview = draft_preview()
    form = ProposeForm(request.POST if request.method == "POST" else None)
    response = form_submit(
        request,
        form,
        lambda values: release_propose(notes=values["notes"], acting_user=request.user),
        success_url=lambda proposal: reverse("release-proposal", kwargs={"pk": proposal.pk}),
        success_message=_("Releasen är föreslagen. En nationell samordnare granskar och publicerar den."),
    )
    if response:
        return response
    return render(
        request,
        "releases/preview.html",
        {
            "preview": preview,
            "sections": _diff_sections(preview["diff"]),
            "form": form,
            "proposals": release_proposals_open(),
        },
    )


@content_authority_required
@require_http_methods(["GET", "POST"])
def release_proposal_page(request, pk: int):
    """A proposal under review: its notes and diff; a national coordinator other than the proposer decides."""
    proposal = get_object_or_404(ReleaseProposal.objects.select_related("proposed_by", "decided_by"), pk=pk)
    post = request.method == "POST"
    action = request.POST.get("action") if post else None
    approve_form = ApproveForm(request.POST if action == "approve" else None, prefix="approve")
    reject_form = RejectForm(request.POST if action == "reject" else None, prefix="reject")
    if action == "approve":
        response = form_submit(
            request,
            approve_form,
            lambda values: release_proposal_approve(
                proposal=proposal, acting_user=request.user, publish_at=values["publish_at"]
            ),
            success_url=reverse("release-proposal", kwargs={"pk": proposal.pk}),
            success_message=_("Förslaget är godkänt."),
        )
        if response:
            return response
    elif action == "reject":
        response = form_submit(
            request,
            reject_form,
            lambda values: release_proposal_reject(proposal=proposal, acting_user=request.user, note=values["note"]),
            success_url=reverse("release-proposal", kwargs={"pk": proposal.pk}),
            success_message=_("Förslaget är avslaget."),
        )
        if response:
            return response
    latest = release_latest()
    diff = bundle_diff(latest.bundle if latest else None, proposal.bundle)
    may_decide = (
        rules.is_national_coordinator(request.user)
        and proposal.proposed_by_id != request.user.pk
        and proposal.state == ReleaseProposal.State.PROPOSED
    )
    return render(
        request,
        "releases/proposal.html",
        {
            "proposal": proposal,
            "sections": _diff_sections(diff),
            "previous": latest,
            "may_decide": may_decide,
            "may_reject": rules.is_national_coordinator(request.user)
            and proposal.state == ReleaseProposal.State.SCHEDULED,
            "own": proposal.proposed_by_id == request.user.pk,
            "approve_form": approve_form,
            "reject_form": reject_form,
        },
    )


# --- Central: releases and rollouts ---------------------------------------------------------------
@content_authority_required
def release_list(request):
    return render(
        request,
        "releases/release_list.html",
        {"releases": releases_published(), "rollouts": rollouts(), "proposals": release_proposals_open()},
    )


@content_authority_required
def release_detail(request, version: int):
    release = get_object_or_404(Release, version=version)
    return render(
        request,
        "releases/release_detail.html",
        {"release": release, "sections": _diff_sections(release.diff), "rollouts": release.rollouts.all()},
    )


@content_authority_required
def rollout_detail(request, pk: int):
    rollout = get_object_or_404(Rollout.objects.select_related("release"), pk=pk)
    return render(
        request,
        "releases/rollout_detail.html",
        {"rollout": rollout, "progress": rollout_progress(rollout), "targets": rollout_targets(rollout)},
    )


@content_authority_required
def rollout_progress_json(request, pk: int):
    rollout = get_object_or_404(Rollout.objects.select_related("release"), pk=pk)
    targets = [
        {
            "id": target.pk,
            "tenant": target.tenant.name,
            "state": target.state,
            "state_label": target.get_state_display(),
            "reason": target.reason,
            "installed_at": target.installed_at.isoformat() if target.installed_at else None,
        }
        for target in rollout_targets(rollout)
    ]
    return JsonResponse({"progress": rollout_progress(rollout), "targets": targets})


@content_authority_required
@require_POST
def rollout_target_retry_view(request, pk: int, target_id: int):
    target = get_object_or_404(RolloutTarget, pk=target_id, rollout_id=pk)
    try:
        rollout_target_retry(target=target, acting_user=request.user)
    except ReleaseError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Nytt försök skickat för %(tenant)s.") % {"tenant": target.tenant.name})
    return redirect("rollout-detail", pk=pk)


# --- Tenant: see what a newer release changes, adopt, pin or follow -------------------------------
@local_admin_required
@require_http_methods(["GET", "POST"])
def tenant_release(request):
    tenant = connection.tenant
    if request.method == "POST":
        try:
            if request.POST.get("action") == "follow":
                tenant_release_follow(tenant=tenant, acting_user=request.user)
                messages.success(request, _("Instansen följer nu senaste release."))
            else:
                release = release_by_version(int(request.POST.get("version", "0") or 0))
                if release is None:
                    raise ReleaseError(_("Den releasen finns inte."))
                tenant_release_pin(tenant=tenant, release=release, acting_user=request.user)
                messages.success(request, _("Release %(version)s är införd och låst.") % {"version": release.version})
        except (ReleaseError, BundleError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("tenant-release")
    overview = tenant_release_overview(tenant)
    newer = [{"release": entry["release"], "sections": _diff_sections(entry["diff"])} for entry in overview["newer"]]
    return render(request, "releases/tenant_release.html", {"overview": overview, "newer": newer})


# --- Tenant: local resources and contacts (never touched by a release) ----------------------------
class LocalResourceForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Typ"), choices=[("resource", gettext_lazy("Resurs")), ("contact", gettext_lazy("Kontakt"))]
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    url = forms.URLField(label=gettext_lazy("Länk"), required=False, assume_scheme="https")
    phone = forms.CharField(
        label=gettext_lazy("Telefon"), max_length=30, required=False, validators=[validate_phone_number]
    )
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def local_resources_page(request):
    from modules.model_config.selectors import local_resources
    from modules.model_config.services import local_resource_create

    if _is_central(request):
        raise Http404
    is_admin = rules.is_local_admin(request.user)
    form = LocalResourceForm(request.POST if request.method == "POST" else None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            local_resource_create(**form.cleaned_data)
            messages.success(request, _("Tillagd."))
            return redirect("local-resources")
    return render(request, "releases/local_resources.html", {"resources": local_resources(), "form": form})
