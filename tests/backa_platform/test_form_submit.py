"""The pages' one way from a submitted form to a service: refusals on the form, success as a redirect."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from backa_platform.core.forms import form_submit


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


class RenamingForm(NameForm):
    def field_for(self, key: str) -> str:
        return {"title": "name"}.get(key, key)


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refuse(error):
    def service(values):
        raise error

    return service


def test_a_valid_form_goes_to_the_service_and_redirects_with_the_message():
    request = _request(data={"name": "Ada"})
    seen = []
    response = form_submit(
        request,
        NameForm(request.POST),
        lambda values: seen.append(values["name"]) or 7,
        success_url=lambda result: f"/done/{result}/",
        success_message="Sparat.",
    )
    assert seen == ["Ada"]
    assert response.status_code == 302 and response.url == "/done/7/"
    assert [str(message) for message in get_messages(request)] == ["Sparat."]


def test_a_get_or_an_invalid_form_never_reaches_the_service():
    for request in (_request("get"), _request(data={"name": ""})):
        form = NameForm(request.POST if request.method == "POST" else None)
        assert form_submit(request, form, _refuse(AssertionError("called")), success_url="/") is None


def test_a_refusal_naming_fields_lands_beside_them_and_the_rest_on_the_form():
    request = _request(data={"name": "Ada"})
    form = RenamingForm(request.POST)
    error = ValidationError({"title": ["Namnet är upptaget."], "unknown": ["Något annat."]})
    assert form_submit(request, form, _refuse(error), success_url="/") is None
    assert form.errors["name"] == ["Namnet är upptaget."]
    assert form.non_field_errors() == ["Något annat."]
    assert not list(get_messages(request))


def test_a_refusal_without_fields_lands_on_the_form_or_on_the_field_the_page_names():
    request = _request(data={"name": "Ada"})
    form = NameForm(request.POST)
    assert form_submit(request, form, _refuse(ValidationError("Nej.", code="no")), success_url="/") is None
    assert form.non_field_errors() == ["Nej."] and form.non_field_errors().as_data()[0].code == "no"
    form = NameForm(request.POST)
    form_submit(request, form, _refuse(ValidationError("Nej.")), success_url="/", error_field="note")
    assert form.errors["note"] == ["Nej."]
