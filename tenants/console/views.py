"""The national console on the central site: national coordinators only, everyone else gets 403."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import form_submit
from modules.accounts import rules
from modules.accounts.decorators import rule_required
from tenants.exports import tenant_export_open
from tenants.models import County, Tenant, TenantExport, TenantExportJob
from tenants.onboarding.forms import ArchiveForm, DecisionForm, ReasonForm
from tenants.onboarding.models import Application
from tenants.onboarding.selectors import applications_all, applications_queue, checklist_view, checklist_views
from tenants.onboarding.services import agreement_open, application_approve, application_reject, tenant_go_live
from tenants.onboarding.views import attachment
from tenants.provisioning.models import ProvisioningJob
from tenants.provisioning.services import provisioning_job_retry
from tenants.selectors import (
    tenant_events,
    tenant_release_versions,
    tenant_user_counts,
    tenants_for_console,
    tenants_local,
)
from tenants.services import tenant_archive, tenant_export_request, tenant_reactivate, tenant_suspend

coordinator_required = rule_required(rules.is_national_coordinator, site=rules.CENTRAL)


@coordinator_required
def tenant_list(request):
    filters = {key: request.GET.get(key, "").strip() for key in ("kind", "county", "status", "query")}
    # One page at a time: each row's figures are read from the tenant's own schema (measured at 311 tenants
    # on one page: 2,187 queries, 2.2 s and more; CONSOLE_PAGE_SIZE rows per page, default 50).
    page = Paginator(tenants_for_console(**filters), settings.CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    tenants = list(page.object_list)
    users = tenant_user_counts(tenants)
    releases = tenant_release_versions(tenants)
    checklists = checklist_views(tenants)
    rows = [
        {
            "tenant": tenant,
            "progress": checklists[tenant.pk].percent if tenant.status != Tenant.Status.ARCHIVED else None,
            "users": users.get(tenant.pk),
            "release": releases.get(tenant.pk),
        }
        for tenant in tenants
    ]
    return render(
        request,
        "console/tenant_list.html",
        {
            "rows": rows,
            "page": page,
            "filter_query": urlencode({key: value for key, value in filters.items() if value}),
            "filters": filters,
            "kinds": [(Tenant.Kind.MUNICIPALITY, _("Kommun")), (Tenant.Kind.REGION, _("Region"))],
            "counties": County.choices,
            "statuses": Tenant.Status.choices,
            "queue_size": applications_queue().count(),
        },
    )


# What a provisioning step records in its detail, in words a coordinator reads (unknown keys are shown as they are).
STEP_DETAIL_LABELS = {
    "schema": gettext_lazy("Schema"),
    "method": gettext_lazy("Sätt"),
    "migrations": gettext_lazy("Migreringar"),
    "spare": gettext_lazy("Reservschema"),
    "already_present": gettext_lazy("Fanns redan"),
    "domain": gettext_lazy("Domän"),
    "message": gettext_lazy("Meddelande"),
    "already_invited": gettext_lazy("Redan inbjuden"),
    "invitation_id": gettext_lazy("Inbjudan nr"),
    "status": gettext_lazy("Status"),
    "version": gettext_lazy("Release"),
}


def duration_text(milliseconds: int | None) -> str:
    """A duration in the units people read: "0,4 s", "12 s", "12 min 11 s", "1 h 3 min"."""
    if milliseconds is None:
        return "–"
    if milliseconds < 10_000:
        return f"{number_format(milliseconds / 1000, 1)} s"
    seconds = round(milliseconds / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _detail_value(value) -> str:
    if value is True:
        return _("ja")
    if value is False:
        return _("nej")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def step_detail_items(detail) -> list[tuple[str, str]]:
    """A step's recorded detail as (label, value) pairs, never as a Python dict."""
    if not isinstance(detail, dict):
        return [(_("Detaljer"), str(detail))] if detail else []
    return [(str(STEP_DETAIL_LABELS.get(key, key)), _detail_value(value)) for key, value in detail.items()]


@coordinator_required
def tenant_detail(request, tenant_id: int):
    tenant = get_object_or_404(tenants_local(), pk=tenant_id)
    job = ProvisioningJob.objects.filter(tenant=tenant).prefetch_related("steps").first()
    steps = [
        {
            "step": step,
            "duration": duration_text(step.duration_ms),
            "detail": step_detail_items(step.detail),
        }
        for step in (job.steps.all() if job else [])
    ]
    return render(
        request,
        "console/tenant_detail.html",
        {
            "tenant": tenant,
            "events": tenant_events(tenant=tenant)[:200],
            "job": job,
            "job_duration": duration_text(job.duration_ms) if job else None,
            "steps": steps,
            "view": checklist_view(tenant=tenant) if tenant.status != Tenant.Status.ARCHIVED else None,
            "exports": tenant.exports.all()[:5],
            "export_jobs": tenant.export_jobs.exclude(status=TenantExportJob.Status.SUCCEEDED)[:3],
            "reason_form": ReasonForm(),
            "archive_form": ArchiveForm(),
        },
    )


@coordinator_required
@require_POST
def tenant_action(request, tenant_id: int, action: str):
    tenant = get_object_or_404(tenants_local(), pk=tenant_id)
    form = (ArchiveForm if action == "archive" else ReasonForm)(request.POST)
    try:
        if action == "export":
            tenant_export_request(tenant=tenant, acting_user=request.user)
            messages.success(request, _("Exporten har startat och visas här när den är verifierad."))
        elif action == "go_live":
            tenant_go_live(tenant=tenant, acting_user=request.user)
            messages.success(request, _("%(name)s är nu i drift.") % {"name": tenant.name})
        elif action == "retry":
            job = ProvisioningJob.objects.filter(tenant=tenant).first()
            if job is None:
                raise PermissionDenied
            provisioning_job_retry(job=job, acting_user=request.user)
            messages.success(request, _("Etableringen körs igen från steget som misslyckades."))
        elif not form.is_valid():
            messages.error(request, _("Ange ett skäl."))
        elif action == "suspend":
            tenant_suspend(tenant=tenant, acting_user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(name)s är pausad.") % {"name": tenant.name})
        elif action == "reactivate":
            tenant_reactivate(tenant=tenant, acting_user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(name)s är återaktiverad.") % {"name": tenant.name})
        elif action == "archive":
            tenant_archive(
                tenant=tenant,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                confirmation=form.cleaned_data["confirmation"],
            )
            messages.success(request, _("%(name)s är arkiverad.") % {"name": tenant.name})
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("console-tenant", tenant_id=tenant.pk)


@coordinator_required
def application_list(request):
    return render(
        request,
        "console/application_list.html",
        {
            "queue": applications_queue(),
            "decided": applications_all().exclude(status=Application.Status.SUBMITTED)[:50],
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def application_detail(request, application_id: int):
    application = get_object_or_404(Application, pk=application_id)
    form = DecisionForm(request.POST or None)

    def decide(values) -> str:
        if values["decision"] == "approve":
            application_approve(application=application, acting_user=request.user, reason=values["reason"])
            return _("Ansökan är beviljad; instansen sätts upp.")
        application_reject(application=application, acting_user=request.user, reason=values["reason"])
        return _("Ansökan är avslagen.")

    response = form_submit(
        request, form, decide, success_url="console-applications", success_message=lambda message: message
    )
    if response:
        return response
    return render(
        request,
        "console/application_detail.html",
        {"application": application, "form": form, "events": application.events.order_by("created_at")},
        status=400 if form.errors else 200,
    )


@coordinator_required
@require_http_methods(["GET"])
def agreement_download(request, tenant_id: int):
    tenant = get_object_or_404(tenants_local(), pk=tenant_id)
    return attachment(agreement_open(tenant=tenant, acting_user=request.user))


@coordinator_required
@require_http_methods(["GET"])
def export_download(request, tenant_id: int, export_id: int):
    export = get_object_or_404(TenantExport.objects.select_related("tenant"), pk=export_id, tenant_id=tenant_id)
    return attachment(tenant_export_open(export=export, acting_user=request.user))
