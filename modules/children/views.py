"""Pages for a child's record. Every page with a child goes through ``child_view`` (the one permission),
which answers 404 for a child one may not see and logs every read."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm, form_page
from modules.audit.services import audit_record_children
from modules.children.forms import (
    ChildRegisterForm,
    EmergencyAccessForm,
    GuardianForm,
    OptionalPersonForm,
    PersonForm,
    TeamMemberForm,
    UnitsForm,
)
from modules.children.models import ChildContact, SupportCoordinator
from modules.children.permissions import ANY, FULL, MANAGE, child_view
from modules.children.selectors import (
    CursorInvalid,
    children_page,
    children_search,
    current_child_contact,
    current_support_coordinator,
    has_full_access,
    may_manage_relationships,
    own_concerns,
    team_of,
    team_with_access,
)
from modules.children.services import (
    CONCERN_RECEIVED,
    ChildError,
    GuardianData,
    child_register,
    child_role_hand_over,
    child_units_set,
    emergency_access_grant,
    guardian_add,
    personnummer_reveal,
    team_member_add,
    team_member_end,
)
from modules.chronology.selectors import chronology_of
from modules.consent.selectors import consents_of

CHILD_LIST_PAGE_SIZE = 200


class ChildSearchForm(AccessibleForm):
    q = forms.CharField(label=gettext_lazy("Sök bland dina barn (namn eller hela personnumret)"), max_length=100)


@login_required
@require_http_methods(["GET", "POST"])
def child_list(request):
    """GET: the children one may see. POST: a search among them (a POST, so a name or number never ends up
    in a URL), each hit logged as a search hit. Both are reads: no transaction, so the entries' one INSERT
    commits (holding the tenant's audit chain lock for itself alone) before the page is rendered."""
    form = ChildSearchForm(request.POST or None)
    page = None
    if request.method == "POST" and form.is_valid():
        children = children_search(user=request.user, query=form.cleaned_data["q"], limit=CHILD_LIST_PAGE_SIZE)
        action = "search_hit"
    else:
        # 200 at a time, "Nästa"/"Föregående" carrying a cursor (the last/first child's id, signed; no name).
        try:
            page = children_page(user=request.user, size=CHILD_LIST_PAGE_SIZE, cursor=request.GET.get("cursor", ""))
        except CursorInvalid as error:
            raise Http404(_("Ogiltig sidmarkör. Börja om från listans första sida.")) from error
        children, action = page.children, "list"
    audit_record_children(acting_user=request.user, action=action, child_ids=[c.pk for c in children], request=request)
    return render(
        request,
        "children/list.html",
        {"children": children, "form": form, "searched": request.method == "POST", "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_register_page(request):
    form = ChildRegisterForm(request.POST or None)

    def register(values):
        guardian = GuardianData(
            name=values["guardian_name"],
            relation=values["guardian_relation"],
            phone=values["guardian_phone"],
            email=values["guardian_email"],
        )
        registration = child_register(
            personnummer=values["personnummer"],
            given_name=values["given_name"],
            family_name=values["family_name"],
            concern=values["concern"],
            as_child_contact=values["as_child_contact"],
            guardians=(guardian,) if guardian.name.strip() else (),
            units=values["units"],
            acting_user=request.user,
            request=request,
        )
        if not registration.created and not registration.received:
            messages.info(request, _("Barnet fanns redan registrerat; din uppgift har lagts till i den akten."))
        return registration

    return form_page(
        request,
        form,
        register,
        # Without access to the whole record, the same answer whether the child was known or new.
        success_url=lambda registration: (
            reverse("child-list")
            if registration.received
            else reverse("child-detail", kwargs={"child_id": registration.child.pk})
        ),
        success_message=lambda registration: (
            str(CONCERN_RECEIVED)
            if registration.received
            else (_("Barnet är registrerat.") if registration.created else None)
        ),
        page={"heading": _("Registrera barn"), "submit_label": _("Registrera"), "back_url": "/barn/"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access_page(request):
    """Nödåtkomst: from the search, for a child one does not find among one's own. The number goes in a POST
    (never a URL); the grant opens the record to read, for a few hours, logged and reviewed."""
    form = EmergencyAccessForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda values: emergency_access_grant(
            personnummer=values["personnummer"], reason=values["reason"], acting_user=request.user, request=request
        ),
        success_url=lambda grant: reverse("child-detail", kwargs={"child_id": grant.child_id}),
        success_message=lambda grant: (
            _(
                "Du har nödåtkomst (läsrätt) till barnets akt till och med %(until)s. Den loggas, barnkontakten "
                "underrättas och den lokala administratören granskar den."
            )
            % {"until": date_format(timezone.localtime(grant.expires_at), "SHORT_DATETIME_FORMAT")}
        ),
        page={
            "heading": _("Begär nödåtkomst"),
            "intro": _(
                "Använd nödåtkomst bara när du akut behöver uppgifter om ett barn du inte arbetar med. Ange "
                "barnets nummer och varför du behöver åtkomst."
            ),
            "submit_label": _("Öppna med nödåtkomst"),
            "back_url": "/barn/",
        },
    )


def _detail_context(request, child, *, revealed=None) -> dict:
    full = has_full_access(child)
    context = {"child": child, "full_access": full, "own_concerns": own_concerns(child=child, user=request.user)}
    context["emergency_only"] = child.has_emergency_access and not (
        child.is_child_contact or child.is_support_coordinator or child.is_team_member
    )
    if full:
        contact = current_child_contact(child=child)
        coordinator = current_support_coordinator(child=child)
        context.update(
            guardians=child.guardians.all(),
            units=child.units.select_related("organisation"),
            child_contact=contact.user if contact else None,
            support_coordinator=coordinator.user if coordinator else None,
            team=team_with_access(child=child, members=team_of(child=child).filter(ended_at__isnull=True)),
            consents=consents_of(child=child),
            may_manage=may_manage_relationships(child),
            revealed=revealed,
        )
    return context


@login_required
@child_view(ANY)
def child_detail(request, child):
    return render(request, "children/detail.html", _detail_context(request, child))


@login_required
@require_POST
@child_view(FULL)
def child_reveal_personnummer(request, child):
    # Answered in this response only: the full number is never put in a URL, a session or a cache.
    revealed = personnummer_reveal(child=child, acting_user=request.user, request=request)
    response = render(request, "children/detail.html", _detail_context(request, child, revealed=revealed))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@child_view(FULL)
def child_chronology(request, child):
    return render(request, "children/chronology.html", {"child": child, "events": chronology_of(child=child)})


def _person_page(request, child, *, form_class, heading, submit_label, service, initial=None):
    form = form_class(request.POST or None, initial=initial)
    success_url = reverse("child-detail", kwargs={"child_id": child.pk})
    return form_page(
        request,
        form,
        service,
        success_url=success_url,
        success_message=_("Ändringen är sparad."),
        page={
            "heading": heading % {"name": child.full_name},
            "submit_label": submit_label,
            "back_url": f"/barn/{child.pk}/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def child_contact_page(request, child):
    return _person_page(
        request,
        child,
        form_class=PersonForm,
        heading=_("Byt barnkontakt för %(name)s"),
        submit_label=_("Spara barnkontakt"),
        service=lambda values: child_role_hand_over(
            role=ChildContact,
            child=child,
            user=values["user"],
            reason=values["reason"],
            acting_user=request.user,
            request=request,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def support_coordinator_page(request, child):
    return _person_page(
        request,
        child,
        form_class=OptionalPersonForm,
        heading=_("Stödsamordnare för %(name)s"),
        submit_label=_("Spara stödsamordnare"),
        service=lambda values: child_role_hand_over(
            role=SupportCoordinator,
            child=child,
            user=values["user"],
            reason=values["reason"],
            acting_user=request.user,
            request=request,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def team_member_add_page(request, child):
    return _person_page(
        request,
        child,
        form_class=TeamMemberForm,
        heading=_("Lägg till i barnteamet för %(name)s"),
        submit_label=_("Lägg till"),
        service=lambda values: team_member_add(
            child=child,
            user=values["user"],
            team_role=values["team_role"],
            started_on=values["started_on"],
            ends_on=values["ends_on"],
            legal_ground=values["legal_ground"] or "",
            acting_user=request.user,
            request=request,
        ),
    )


@login_required
@require_POST
@child_view(MANAGE)
def team_member_end_page(request, child, member_id):
    member = child.team_members.select_related("user").filter(pk=member_id).first()
    if member is None:
        raise Http404
    try:
        team_member_end(member=member, acting_user=request.user, request=request)
    except ChildError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("child-detail", child_id=child.pk)


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def guardian_add_page(request, child):
    return _person_page(
        request,
        child,
        form_class=GuardianForm,
        heading=_("Lägg till vårdnadshavare för %(name)s"),
        submit_label=_("Lägg till"),
        service=lambda values: guardian_add(
            child=child, guardian=GuardianData(**values), acting_user=request.user, request=request
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def child_units_page(request, child):
    return _person_page(
        request,
        child,
        form_class=UnitsForm,
        heading=_("Enheter för %(name)s"),
        submit_label=_("Spara"),
        initial={"units": list(child.units.all())},
        service=lambda values: child_units_set(
            child=child, units=values["units"], acting_user=request.user, request=request
        ),
    )
