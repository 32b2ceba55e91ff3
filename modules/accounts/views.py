"""Sign-in with a password (its second step is in two_factor_views.py), and the staff pages for local admins:
invite into a unit with a role, deactivate."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from backa_platform.core.forms import AccessibleForm, form_page, form_submit
from modules.accounts.decorators import local_admin_required
from modules.accounts.imports import template_csv, template_xlsx
from modules.accounts.models import StaffImport, StaffImportRow, User
from modules.accounts.selectors import staff_changes_of, staff_import_progress, staff_imports_recent, staff_of_site
from modules.accounts.services import (
    STAFF_ROLES,
    staff_change,
    staff_import_confirm,
    staff_import_create,
    staff_invite,
    user_deactivate,
    user_language_set,
    user_phone_set,
)
from modules.organisations.models import Unit


def _open_units():
    return Unit.objects.filter(closed_at__isnull=True).select_related("organisation")


class SignInForm(AuthenticationForm):
    def clean_username(self):
        # Accounts are kept in lower case; the lockout counts one account however its address is typed.
        return (self.cleaned_data.get("username") or "").strip().lower()


class SignInView(auth_views.LoginView):
    """The password step. A correct password signs the person in, but the session is not strongly authenticated
    until the second factor (two_factor_views.py): until then it reaches nothing but the sign-in steps
    (middleware.StrongAuthMiddleware). A locked-out account or address gets django-axes' answer
    (lockout.lockout_response), which says when to try again."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        next_url = self.get_success_url()
        super().form_valid(form)
        return redirect(f"{reverse('second-factor')}?{urlencode({'next': next_url})}")


class InviteForm(AccessibleForm):
    full_name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-postadress"))
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=[(r.value, r.label) for r in STAFF_ROLES])
    unit = forms.ModelChoiceField(label=gettext_lazy("Enhet"), queryset=_open_units())


class StaffChangeForm(AccessibleForm):
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=[(r.value, r.label) for r in STAFF_ROLES])
    unit = forms.ModelChoiceField(label=gettext_lazy("Enhet"), queryset=_open_units())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, initial={"role": user.role, "unit": user.unit_id}, **kwargs)
        # The unit the person is in stays choosable while it is open or not.
        self.fields["unit"].queryset = Unit.objects.filter(
            Q(closed_at__isnull=True) | Q(pk=user.unit_id)
        ).select_related("organisation")


class ImportUploadForm(AccessibleForm):
    file = forms.FileField(
        label=gettext_lazy("Fil med enheter och personal (CSV eller XLSX)"),
        help_text=gettext_lazy("Använd mallen. Högst %(size)s MB.")
        % {"size": settings.STAFF_IMPORT_MAX_BYTES // 1_000_000},
    )


IMPORT_ROWS_PER_PAGE = 200


@require_http_methods(["GET", "POST"])
@local_admin_required
def staff_page(request):
    form = InviteForm(request.POST or None)
    response = form_submit(
        request,
        form,
        lambda values: staff_invite(acting_user=request.user, **values),
        success_url="staff",
        success_message=lambda _invitation: (
            _("Inbjudan skickas till %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        error_field="email",
    )
    if response:
        return response
    from modules.identity.selectors import bindings_by_user

    return render(
        request,
        "accounts/staff.html",
        {"staff": staff_of_site(), "form": form, "bindings": bindings_by_user()},
    )


@require_POST
@local_admin_required
def staff_deactivate_page(request, user_id):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        user_deactivate(user=user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s är inaktiverad.") % {"name": user.full_name})
    return redirect("staff")


class PhoneForm(AccessibleForm):
    phone = forms.CharField(
        label=gettext_lazy("Telefon i tjänsten"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Skrivs ut med ditt namn i Barnets plan för familjen."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_phone_page(request):
    """The signed-in person's work phone, shown to families on the documents they are given."""
    form = PhoneForm(request.POST or None, initial={"phone": request.user.phone})
    return form_page(
        request,
        form,
        lambda values: user_phone_set(user=request.user, phone=values["phone"]),
        success_url=request.GET.get("next")
        if url_has_allowed_host_and_scheme(request.GET.get("next"), allowed_hosts={request.get_host()})
        else "my-phone",
        success_message=_("Ditt telefonnummer är sparat."),
        page={"heading": _("Mitt telefonnummer"), "submit_label": _("Spara"), "back_url": "/"},
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def staff_edit_page(request, user_id):
    """Change a staff member's role or unit; every change is kept and shown here (and audited)."""
    person = get_object_or_404(User.objects.select_related("unit__organisation"), pk=user_id)
    form = StaffChangeForm(request.POST or None, user=person)
    response = form_submit(
        request,
        form,
        lambda values: staff_change(user=person, acting_user=request.user, request=request, **values),
        success_url="staff",
        success_message=_("Ändringen för %(name)s är sparad.") % {"name": person.full_name},
        error_field="role",
    )
    return response or render(
        request, "accounts/staff_edit.html", {"person": person, "form": form, "changes": staff_changes_of(person)}
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def staff_import_page(request):
    """Upload a file of units and staff; it is read and checked at once and shown for confirmation."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    response = form_submit(
        request,
        form,
        lambda values: staff_import_create(
            file_name=values["file"].name, data=values["file"].read(), acting_user=request.user, request=request
        ),
        success_url=lambda staff_import: reverse("staff-import-detail", args=[staff_import.pk]),
        error_field="file",
    )
    return response or render(
        request,
        "accounts/staff_import.html",
        {"form": form, "imports": staff_imports_recent()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def staff_import_detail_page(request, pk):
    staff_import = get_object_or_404(StaffImport, pk=pk)
    if request.method == "POST":
        try:
            staff_import_confirm(staff_import=staff_import, acting_user=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("staff-import-detail", pk=pk)
    only_errors = request.GET.get("visa") == "fel"
    rows = staff_import.rows.order_by("line")
    if only_errors:
        rows = rows.filter(status=StaffImportRow.Status.ERROR)
    page = Paginator(rows, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "accounts/staff_import_detail.html",
        {"staff_import": staff_import, "page": page, "only_errors": only_errors},
    )


@local_admin_required
def staff_import_progress_json(request, pk):
    staff_import = get_object_or_404(StaffImport, pk=pk)
    return JsonResponse(staff_import_progress(staff_import))


@local_admin_required
def staff_import_template(request, file_format):
    if file_format == "xlsx":
        data, content_type = template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, content_type = template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="personal-mall.{file_format}"'
    return response


@require_POST
@local_admin_required
def staff_second_factor_reset_page(request, user_id):
    """A colleague lost both the phone and the recovery codes: their authenticator is removed and every session of
    theirs ends; their next sign-in (password) enrols a new one."""
    from modules.accounts.strong_auth import second_factor_remove, sign_out_everywhere

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    second_factor_remove(request=request, user=user, acting_user=request.user)
    sign_out_everywhere(request=request, user=user, acting_user=request.user)
    messages.success(
        request,
        _("Tvåstegsverifieringen för %(name)s är borttagen. Vid nästa inloggning lägger hen till en ny app.")
        % {"name": user.full_name},
    )
    return redirect("staff")


def language_set(request):
    """Django's set_language (the cookie and the redirect), and for a signed-in user the choice kept on the
    account: mail to them is written in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
