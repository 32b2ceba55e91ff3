"""The central site's federated sign-in and "Mina instanser": a person signs in through a national federation
IdP and sees every instance where they are bound, with the role there. No account is made or used: the
session keeps only the identifier hashes, and the list comes from the directory, never from the instances'
schemas."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm
from modules.accounts import rules
from modules.accounts.decorators import rule_required
from modules.identity import protocols
from modules.identity.messages import failure_message
from modules.identity.protocols import SignInFailed
from modules.identity.views import base_url
from tenants.identity import services
from tenants.identity.models import FederationProvider
from tenants.identity.selectors import instances_of

SESSION_KEY = "directory_subject_hashes"
coordinator_required = rule_required(rules.is_national_coordinator, site=rules.CENTRAL)


def _failed(request, code: str):
    return render(request, "identity/sign_in_failed.html", {"message": failure_message(code)}, status=403)


@require_GET
def saml_metadata(request):
    return HttpResponse(
        protocols.saml_sp_metadata(base_url=base_url(request)), content_type="application/samlmetadata+xml"
    )


@require_GET
def sign_in_start(request, provider_id: int):
    provider = FederationProvider.objects.filter(pk=provider_id, enabled=True).first()
    if provider is None:
        raise Http404
    try:
        return redirect(services.central_sign_in_start(provider=provider, base_url=base_url(request)))
    except SignInFailed as failure:
        return _failed(request, failure.code)


def _complete(request, **answer):
    try:
        hashes = services.central_sign_in_complete(base_url=base_url(request), **answer)
    except SignInFailed as failure:
        return _failed(request, failure.code)
    request.session.cycle_key()
    request.session[SESSION_KEY] = hashes
    return redirect("my-instances")


@csrf_exempt
@require_POST
def saml_acs(request):
    return _complete(
        request, state=request.POST.get("RelayState", ""), saml_response=request.POST.get("SAMLResponse", "")
    )


@require_GET
def oidc_callback(request):
    if "error" in request.GET:
        return _failed(request, "denied")
    return _complete(request, state=request.GET.get("state", ""), code=request.GET.get("code", ""))


@require_GET
def my_instances(request):
    hashes = request.session.get(SESSION_KEY)
    if not hashes:
        return redirect("login")
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    rows = [
        {**row, "url": f"{request.scheme}://{row['domain']}{suffix}/logga-in/nationell/{row['federation_id']}/"}
        for row in instances_of(subject_hashes=hashes)
    ]
    return render(request, "central_identity/my_instances.html", {"rows": rows})


# --- the national coordinators' registry ------------------------------------------------------------


class FederationForm(AccessibleForm):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    protocol = forms.ChoiceField(label=gettext_lazy("Protokoll"), choices=FederationProvider.Protocol.choices)
    saml_entity_id = forms.CharField(label=gettext_lazy("SAML: IdP:ns entitets-id"), max_length=500, required=False)
    saml_metadata_xml = forms.CharField(
        label=gettext_lazy("SAML: metadata (XML)"), widget=forms.Textarea, required=False
    )
    oidc_issuer = forms.URLField(
        label=gettext_lazy("OIDC: utfärdare (issuer)"), max_length=500, required=False, assume_scheme="https"
    )
    oidc_client_id = forms.CharField(label=gettext_lazy("OIDC: klient-id"), max_length=200, required=False)
    oidc_client_secret = forms.CharField(
        label=gettext_lazy("OIDC: klienthemlighet"), widget=forms.PasswordInput, max_length=500, required=False
    )
    identifiers = forms.CharField(
        label=gettext_lazy("Identifierande attribut"),
        help_text=gettext_lazy("En rad per attribut: kanoniskt namn=attribut, t.ex. hsa_id=employeeHsaId"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_identifiers(self):
        identifiers = {}
        for line in self.cleaned_data["identifiers"].splitlines():
            if not line.strip():
                continue
            kind, _sep, attribute = line.partition("=")
            if not kind.strip() or not attribute.strip():
                raise forms.ValidationError(_("Skriv varje rad som namn=attribut, t.ex. hsa_id=employeeHsaId."))
            identifiers[kind.strip()] = attribute.strip()
        return identifiers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("protocol") == FederationProvider.Protocol.SAML:
            for field in ("saml_entity_id", "saml_metadata_xml"):
                if not cleaned.get(field):
                    self.add_error(field, _("Krävs för SAML."))
        elif cleaned.get("protocol") == FederationProvider.Protocol.OIDC:
            for field in ("oidc_issuer", "oidc_client_id", "oidc_client_secret"):
                if not cleaned.get(field):
                    self.add_error(field, _("Krävs för OpenID Connect."))
        return cleaned


@require_http_methods(["GET", "POST"])
@coordinator_required
def federation_list(request):
    form = FederationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.federation_register(**form.cleaned_data)
        messages.success(request, _("Identitetsleverantören är registrerad."))
        return redirect("console-federation")
    return render(
        request,
        "central_identity/federation_list.html",
        {"providers": FederationProvider.objects.all(), "form": form},
    )
