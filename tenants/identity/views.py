"""The central site's federated sign-in and "Mina instanser": a person signs in through a national federation
IdP and sees every instance where they are bound, with the role there. No account is made or used: the
session keeps only the identifier hashes, and the list comes from the directory, never from the instances'
schemas."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from modules.identity import protocols
from modules.identity.messages import failure_message
from modules.identity.protocols import SignInFailed
from modules.identity.views import base_url
from tenants.identity import services
from tenants.identity.models import FederationProvider
from tenants.identity.selectors import instances_of

SESSION_KEY = "directory_subject_hashes"


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
