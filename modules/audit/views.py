"""Loggkontroll: for local admins and processledare. Shows who accessed a child (found by personnummer, via
the keyed hash, never shown) or who accessed what in a period; exportable as CSV. Reviews are logged."""

import csv

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError as ApiValidationError

from api.audit import access_review_query
from backa_platform.forms import AccessibleForm
from modules.accounts.models import User
from modules.organisations.views import role_required

access_reviewer_required = role_required(User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD)
EXPORT_LIMIT = 50_000


class AccessReviewForm(AccessibleForm):
    personnummer = forms.CharField(
        label=gettext_lazy("Barnets personnummer eller samordningsnummer"), required=False, max_length=20
    )
    actor = forms.ModelChoiceField(label=gettext_lazy("Användare"), queryset=User.objects.all(), required=False)
    since = forms.DateField(
        label=gettext_lazy("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _entries(request, form):
    values = form.cleaned_data
    params = {key: value for key, value in values.items() if value and key != "actor"}
    if values.get("actor"):
        params["actor_id"] = values["actor"].pk
    try:
        return access_review_query(user=request.user, params=params, request=request)
    except ApiValidationError as error:
        for field, problems in error.detail.items():
            form.add_error(field if field in form.fields else None, [str(p) for p in problems])
        return None


@access_reviewer_required
@transaction.atomic
def access_review_page(request):
    form = AccessReviewForm(request.GET or None)
    entries = None
    if form.is_bound and form.is_valid():
        entries = _entries(request, form)
        entries = list(entries[:500]) if entries is not None else None
    return render(request, "audit/access_review.html", {"form": form, "entries": entries})


@access_reviewer_required
@transaction.atomic
def access_review_csv(request):
    form = AccessReviewForm(request.GET or None)
    if not (form.is_bound and form.is_valid()) or (entries := _entries(request, form)) is None:
        return HttpResponse(_("Ange ett barn, en användare eller en period."), status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="loggkontroll.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "tid", "anvandare", "e-post", "barn-id", "handelse", "objekt", "objekt-id", "ip-adress"])
    for entry in entries[:EXPORT_LIMIT]:
        writer.writerow(
            [
                entry.pk,
                entry.at.isoformat(),
                entry.actor.full_name if entry.actor else "",
                entry.actor.email if entry.actor else "",
                entry.child_id or "",
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.ip_address or "",
            ]
        )
    return response
