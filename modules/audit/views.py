"""Loggkontroll: for local admins and processledare. Shows who accessed a child or who accessed what in a
period; exportable as CSV. A child is searched by personnummer in a POST (found via the keyed hash, never
shown) and then addressed by id, so no number ends up in a URL. Reviews are themselves logged."""

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backa_platform.core.forms import AccessibleForm
from modules.accounts.decorators import access_reviewer_required, local_admin_required
from modules.accounts.models import User
from modules.audit.readable import readable_entries
from modules.audit.services import AccessReviewError, access_review, audit_record_children
from modules.children.crypto import personnummer_lookup_hash
from modules.children.models import EmergencyAccess
from modules.children.personnummer import identity_number_parse
from modules.children.selectors import child_by_personnummer_lookup, emergency_accesses_to_review
from modules.children.services import ChildError, emergency_access_review

EXPORT_LIMIT = 50_000
# Names are read per batch of rows: two queries per batch, whatever the batch holds.
CSV_BATCH = 1_000


class AccessReviewForm(AccessibleForm):
    personnummer = forms.CharField(
        label=gettext_lazy("Barnets personnummer eller samordningsnummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    child_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    actor = forms.ModelChoiceField(label=gettext_lazy("Användare"), queryset=User.objects.all(), required=False)
    since = forms.DateField(
        label=gettext_lazy("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_personnummer(self):
        value = self.cleaned_data["personnummer"]
        if not value:
            return value
        number = identity_number_parse(value)
        child = child_by_personnummer_lookup(lookup=personnummer_lookup_hash(number.digits))
        if child is None:
            raise forms.ValidationError(_("Inget barn med det numret är registrerat här."))
        self.found_child_id = child.pk
        return value

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "found_child_id", None):
            cleaned["child_id"] = self.found_child_id
        if "personnummer" in self.errors:
            return cleaned
        if not any(cleaned.get(key) for key in ("personnummer", "child_id", "actor", "since", "until")):
            raise forms.ValidationError(_("Ange ett barn, en användare eller en period."))
        return cleaned

    def query_params(self) -> dict:
        values = self.cleaned_data
        params = {"child_id": values.get("child_id"), "since": values.get("since"), "until": values.get("until")}
        params["actor_id"] = values["actor"].pk if values.get("actor") else None
        return {key: value for key, value in params.items() if value}


def _entries(request, form):
    values = form.cleaned_data
    try:
        return access_review(
            acting_user=request.user,
            child_id=values.get("child_id"),
            actor=values.get("actor"),
            since=values.get("since"),
            until=values.get("until"),
            request=request,
        )
    except AccessReviewError as error:
        form.add_error(None, error)
        return None


# The review pages are reads: ``access_review`` commits the review's own entry in its short transaction and
# the entries are listed after it, without holding the tenant's audit chain lock while the page renders.
@access_reviewer_required
def access_review_page(request):
    if request.method == "POST":
        form = AccessReviewForm(request.POST)
        if form.is_valid():
            params = dict(form.query_params().items())
            if form.cleaned_data.get("actor"):
                params["actor"] = params.pop("actor_id")
            return redirect(f"{request.path}?{urlencode(params)}")
        return render(request, "audit/access_review.html", {"form": form, "entries": None})
    form = AccessReviewForm(request.GET or None)
    entries = None
    if form.is_bound and form.is_valid():
        entries = _entries(request, form)
        entries = readable_entries(entries[:500]) if entries is not None else None
    return render(
        request,
        "audit/access_review.html",
        {"form": form, "entries": entries, "emergency_open": _emergency_open(request)},
    )


def _emergency_open(request) -> list:
    """Nödåtkomster waiting for review, first on the page; showing them (with the child's name) is logged."""
    grants = list(emergency_accesses_to_review()[:200])
    audit_record_children(
        acting_user=request.user,
        action="access_review",
        child_ids=sorted({grant.child_id for grant in grants}),
        request=request,
    )
    return grants


@require_POST
@local_admin_required
def emergency_access_review_page(request, grant_id):
    """The local admin closes a Nödåtkomst's review."""
    grant = EmergencyAccess.objects.filter(pk=grant_id).first() if grant_id <= 2**63 - 1 else None
    if grant is None:
        raise Http404
    try:
        emergency_access_review(grant=grant, acting_user=request.user, request=request)
        messages.success(request, _("Nödåtkomsten är markerad som granskad."))
    except ChildError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("access-review")


@access_reviewer_required
def access_review_csv(request):
    form = AccessReviewForm(request.GET or None)
    if not (form.is_bound and form.is_valid()) or (entries := _entries(request, form)) is None:
        return HttpResponse(_("Ange ett barn, en användare eller en period."), status=400, content_type="text/plain")
    # Streamed (issue 17 §2): the first rows leave at once whatever the export's size, in batches of CSV_BATCH
    # read through one server-side cursor, so memory stays bounded too.
    response = StreamingHttpResponse(_csv_rows(entries[:EXPORT_LIMIT]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="loggkontroll.csv"'
    return response


class _Line:
    """csv.writer's file: hands back the line it was given instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_rows(entries):
    writer = csv.writer(_Line())
    yield writer.writerow(
        [
            _("Id"),
            _("Tid (%(zone)s)") % {"zone": settings.TIME_ZONE},
            _("Användare"),
            _("E-post"),
            _("Barn"),
            _("Barn-id"),
            _("Händelse"),
            _("Objekt"),
            _("IP-adress"),
        ]
    )
    batch = []
    for entry in entries.iterator(chunk_size=CSV_BATCH):
        batch.append(entry)
        if len(batch) == CSV_BATCH:
            yield "".join(_csv_batch(writer, batch))
            batch = []
    if batch:
        yield "".join(_csv_batch(writer, batch))


def _csv_batch(writer, entries):
    for row in readable_entries(entries):
        entry = row.entry
        yield writer.writerow(
            [
                entry.pk,
                row.at_text,
                entry.actor.full_name if entry.actor else "",
                entry.actor.email if entry.actor else "",
                row.child,
                entry.child_id or "",
                row.action,
                row.object,
                entry.ip_address or "",
            ]
        )
