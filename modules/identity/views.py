"""Pages of federated sign-in in an instance: the SP metadata, the way out to a provider and back, and the
local admin's page for providers, password sign-in and bindings."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm
from modules.accounts.decorators import local_admin_required
from modules.accounts.models import User
from modules.accounts.services import invitation_for_token
from modules.identity import protocols, registry, services
from modules.identity.messages import failure_message
from modules.identity.models import IdentityProvider, SignInRequest
from modules.identity.protocols import SignInFailed
from modules.identity.selectors import password_login_allowed


def base_url(request) -> str:
    """This host as the browser reached it: the SP's entity id, ACS and redirect URI are on the instance's own
    host."""
    return request.build_absolute_uri("/").rstrip("/")


def sign_in_failed_page(request, code: str, status: int = 403):
    return render(request, "identity/sign_in_failed.html", {"message": failure_message(code)}, status=status)


@require_GET
def saml_metadata(request):
    xml = protocols.saml_sp_metadata(base_url=base_url(request))
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@require_GET
def sign_in_start(request, provider_id: int, token: str = ""):
    provider = IdentityProvider.objects.filter(pk=provider_id, enabled=True).first()
    if provider is None:
        raise Http404
    if token and invitation_for_token(token) is None:
        return render(request, "registration/invitation_unusable.html", status=404)
    try:
        url = services.sign_in_start(provider=provider, base_url=base_url(request), invitation_token=token)
    except SignInFailed as failure:
        services.sign_in_failure_record(request=request, provider=provider, code=failure.code)
        return sign_in_failed_page(request, failure.code, status=502)
    return redirect(url)


@require_GET
def sign_in_start_federation(request, federation_id: int):
    """From the central site's "Mina instanser": this instance's provider for that national federation IdP."""
    provider = IdentityProvider.objects.filter(federation_id=federation_id, enabled=True).first()
    if provider is None:
        raise Http404
    return sign_in_start(request, provider_id=provider.pk)


def _complete(request, *, state: str, saml_response: str = "", code: str = ""):
    try:
        result = services.sign_in_complete(
            request=request, base_url=base_url(request), state=state, saml_response=saml_response, code=code
        )
    except SignInFailed as failure:
        return sign_in_failed_page(request, failure.code)
    if result.invitation_accepted:
        messages.success(request, _("Ditt konto är kopplat till %(provider)s.") % {"provider": result.provider.name})
    return redirect("home")


# The IdP's answer is a cross-site POST (no CSRF token of ours); its request is found by RelayState instead,
# once, and pysaml2 checks InResponseTo against it.
@csrf_exempt
@require_POST
def saml_acs(request):
    return _complete(
        request, state=request.POST.get("RelayState", ""), saml_response=request.POST.get("SAMLResponse", "")
    )


@require_GET
def oidc_callback(request):
    state = request.GET.get("state", "")
    if "error" in request.GET:
        row = SignInRequest.objects.select_related("provider").filter(state=state).first()
        services.sign_in_failure_record(request=request, provider=row.provider if row else None, code="denied")
        return sign_in_failed_page(request, "denied")
    return _complete(request, state=state, code=request.GET.get("code", ""))


# --- the local admin's page -------------------------------------------------------------------------


class FederationEnableForm(AccessibleForm):
    federation_id = forms.TypedChoiceField(label=gettext_lazy("Nationell identitetsleverantör"), coerce=int)
    subject_attribute = forms.ChoiceField(label=gettext_lazy("Attribut som identifierar en person"))
    required_assurance = forms.CharField(
        label=gettext_lazy("Krävd tillitsnivå (AuthnContextClassRef eller acr)"), required=False, max_length=300
    )

    def __init__(self, *args, federations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation_id"].choices = [(f.id, f.name) for f in federations]
        attributes = sorted({attribute for f in federations for attribute in f.attributes})
        self.fields["subject_attribute"].choices = [(a, a) for a in attributes]


class SamlProviderForm(AccessibleForm):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    entity_id = forms.CharField(label=gettext_lazy("IdP:ns entitets-id"), max_length=500)
    metadata_xml = forms.CharField(label=gettext_lazy("IdP:ns metadata (XML)"), widget=forms.Textarea)
    subject_attribute = forms.CharField(
        label=gettext_lazy("Attribut som identifierar en person"), max_length=200, initial="nameid"
    )
    required_assurance = forms.CharField(
        label=gettext_lazy("Krävd tillitsnivå (AuthnContextClassRef)"), required=False, max_length=300
    )


class OidcProviderForm(AccessibleForm):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    issuer = forms.URLField(label=gettext_lazy("Utfärdare (issuer)"), max_length=500, assume_scheme="https")
    client_id = forms.CharField(label=gettext_lazy("Klient-id"), max_length=200)
    client_secret = forms.CharField(label=gettext_lazy("Klienthemlighet"), widget=forms.PasswordInput, max_length=500)
    subject_attribute = forms.CharField(
        label=gettext_lazy("Claim som identifierar en person"), max_length=200, initial="sub"
    )
    required_assurance = forms.CharField(label=gettext_lazy("Krävd tillitsnivå (acr)"), required=False, max_length=300)


@require_http_methods(["GET", "POST"])
@local_admin_required
def providers_page(request):
    federations = registry.federation_list()
    action = request.POST.get("action") if request.method == "POST" else None
    forms_by_action = {
        "federation": FederationEnableForm(
            request.POST if action == "federation" else None, federations=federations, prefix="federation"
        ),
        "saml": SamlProviderForm(request.POST if action == "saml" else None, prefix="saml"),
        "oidc": OidcProviderForm(request.POST if action == "oidc" else None, prefix="oidc"),
    }
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        try:
            values = form.cleaned_data
            if action == "federation":
                services.federation_enable(acting_user=request.user, **values)
            elif action == "saml":
                services.provider_create_saml(acting_user=request.user, **values)
            else:
                services.provider_create_oidc(acting_user=request.user, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Identitetsleverantören är aktiverad."))
            return redirect("identity-providers")
    if action == "password":
        try:
            services.password_login_set(allowed=request.POST.get("allowed") == "1", acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("identity-providers")
    return render(
        request,
        "identity/providers.html",
        {
            "providers": IdentityProvider.objects.all(),
            "password_allowed": password_login_allowed(),
            "sp": protocols.sp_urls(base_url(request)),
            "oidc_redirect_uri": protocols.oidc_redirect_uri(base_url(request)),
            "has_federations": bool(federations),
            **{f"{name}_form": value for name, value in forms_by_action.items()},
        },
    )


@require_POST
@local_admin_required
def binding_end_page(request, user_id: int):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        services.binding_end(user=user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s är inte längre kopplad till identitetsleverantören.") % {"name": user})
    return redirect("staff")
