"""Pages of a child's Barnteam meetings. Every page goes through ``child_view`` (the one permission): 404 for a
child one may not see, every read logged; a document handed out of the system is logged as an export too."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from modules.audit.services import audit_record
from modules.casework import forms as casework_forms
from modules.casework import meetings
from modules.casework.meeting_documents import LANGUAGES, kallelse_pdf, minutes_pdf
from modules.casework.views import _child_form, _team_users
from modules.children.permissions import FULL, child_view


def _meeting_or_404(child, meeting_id):
    meeting = child.meetings.filter(pk=meeting_id).select_related("planned_by").first()
    if meeting is None:
        raise Http404
    return meeting


def _detail_url(meeting) -> str:
    return reverse("casework-meeting-detail", kwargs={"child_id": meeting.child_id, "meeting_id": meeting.pk})


def _meeting_form(request, child, meeting=None):
    initial = None
    if meeting is not None and request.method != "POST":
        initial = {
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "place": meeting.place,
            "video_link": meeting.video_link,
            "agenda": meeting.agenda,
            "staff": list(meeting.staff.all()),
            "guardians": [guest.guardian_id for guest in meeting.guests.filter(kind="guardian")],
            "child_takes_part": meeting.child_takes_part,
            "others": casework_forms.MeetingForm.others_initial(meeting),
        }
    return casework_forms.MeetingForm(
        request.POST or None, initial=initial, team_users=_team_users(child), guardians=child.guardians.all()
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def meeting_page(request, child):
    form = _meeting_form(request, child)
    return _child_form(
        request,
        child,
        form,
        lambda _values: meetings.meeting_plan(
            child=child, acting_user=request.user, data=form.meeting_data(), request=request
        ),
        success_url=_detail_url,
        success_message=_("Mötet är planerat och kallelserna skickas."),
        heading=_("Planera barnteamsmöte för %(name)s"),
        submit_label=_("Planera"),
    )


@login_required
@child_view(FULL)
def meeting_detail_page(request, child, meeting_id):
    meeting = _meeting_or_404(child, meeting_id)
    return render(
        request,
        "casework/meeting.html",
        {
            "child": child,
            "meeting": meeting,
            "participants": meeting.participants.select_related("user").order_by("user__full_name"),
            "guests": meeting.guests.all(),
            "decisions": meeting.decisions.select_related("action"),
            "closure": getattr(child, "closure", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def meeting_change_page(request, child, meeting_id):
    meeting = _meeting_or_404(child, meeting_id)
    form = _meeting_form(request, child, meeting)
    return _child_form(
        request,
        child,
        form,
        lambda _values: meetings.meeting_change(
            meeting=meeting, acting_user=request.user, data=form.meeting_data(), request=request
        ),
        success_url=_detail_url,
        success_message=_("Mötet är ändrat och de kallade får en uppdaterad kallelse."),
        heading=_("Ändra barnteamsmöte för %(name)s"),
        submit_label=_("Spara ändringen"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def meeting_cancel_page(request, child, meeting_id):
    meeting = _meeting_or_404(child, meeting_id)
    form = casework_forms.MeetingCancelForm(request.POST or None)
    return _child_form(
        request,
        child,
        form,
        lambda values: meetings.meeting_cancel(
            meeting=meeting, acting_user=request.user, reason=values["reason"], request=request
        ),
        success_url=_detail_url,
        success_message=_("Mötet är inställt och de kallade får besked."),
        heading=_("Ställ in barnteamsmöte för %(name)s"),
        submit_label=_("Ställ in mötet"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def meeting_attendance_page(request, child, meeting_id):
    meeting = _meeting_or_404(child, meeting_id)
    form = casework_forms.MeetingAttendanceForm(request.POST or None, meeting=meeting)
    return _child_form(
        request,
        child,
        form,
        lambda _values: meetings.meeting_attendance_record(
            meeting=meeting,
            acting_user=request.user,
            present_user_ids=form.present_user_ids(),
            present_guest_ids=form.present_guest_ids(),
            request=request,
        ),
        success_url=_detail_url,
        success_message=_("Närvaron är registrerad."),
        heading=_("Närvaro vid barnteamsmöte: %(name)s"),
        submit_label=_("Spara närvaron"),
        intro=_("Markera de som kom."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def meeting_record_page(request, child, meeting_id):
    meeting = _meeting_or_404(child, meeting_id)
    form = casework_forms.MeetingRecordForm(request.POST or None)
    return _child_form(
        request,
        child,
        form,
        lambda values: meetings.meeting_record(
            meeting=meeting,
            minutes=values["minutes"],
            decisions=form.decisions(),
            acting_user=request.user,
            request=request,
        ),
        success_url=_detail_url,
        success_message=_("Mötet är protokollfört."),
        heading=_("Protokoll från barnteamsmöte: %(name)s"),
        submit_label=_("Spara protokollet"),
        intro=meeting.agenda,
    )


def _pdf(request, child, content: bytes, *, kind: str, filename: str) -> HttpResponse:
    audit_record(acting_user=request.user, action="export", child=child, object_type=kind, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@child_view(FULL)
def meeting_kallelse_pdf_page(request, child, meeting_id, language):
    meeting = _meeting_or_404(child, meeting_id)
    if language not in LANGUAGES:
        raise Http404
    content = kallelse_pdf(meeting=meeting, language=language)
    return _pdf(request, child, content, kind="casework.kallelse_pdf", filename=f"kallelse-{meeting.pk}-{language}.pdf")


@login_required
@child_view(FULL)
def meeting_minutes_pdf_page(request, child, meeting_id, language):
    meeting = _meeting_or_404(child, meeting_id)
    if language not in LANGUAGES:
        raise Http404
    content = minutes_pdf(meeting=meeting, language=language)
    return _pdf(
        request, child, content, kind="casework.minutes_pdf", filename=f"anteckningar-{meeting.pk}-{language}.pdf"
    )
