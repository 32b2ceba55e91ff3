"""Form helpers for accessible pages: one layout for every form (templates/includes/form.html and field.html).

Django (5.2) ties each field's help text ({id}_helptext) and errors ({id}_error) to its input with
aria-describedby and sets aria-invalid; the templates give those ids to the help and the errors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class AccessibleFormMixin:
    template_name = "includes/form.html"

    def render(self, template_name=None, context=None, renderer=None):
        # The project's templates (not the form renderer's): the error summary, labels, help and errors.
        return mark_safe(render_to_string(template_name or self.template_name, context or self.get_context()))  # noqa: S308

    __str__ = render
    __html__ = render


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass


def form_errors_add(form: forms.Form, error: ValidationError, *, field: str | None = None) -> None:
    """Put a service's refusal on ``form``: beside each field it names (through the form's ``field_for``, where
    the service's names differ from the form's), else on ``field`` or the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        name = form.field_for(name) if hasattr(form, "field_for") else name
        form.add_error(name if name in form.fields else field, errors)


def form_submit(request, form, service_call, *, success_url, success_message=None, error_field=None):
    """What a page does with a submitted form: a valid one goes to ``service_call(form.cleaned_data)``; its
    refusal (a ValidationError) is put on the form (``form_errors_add``) and None returned, so the page renders
    again with the form; success shows ``success_message`` and redirects to ``success_url``. Either may be a
    callable given the service's result. None too for a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = service_call(form.cleaned_data)
    except ValidationError as error:
        form_errors_add(form, error, field=error_field)
        return None
    message = success_message(result) if callable(success_message) else success_message
    if message:
        messages.success(request, message)
    return redirect(success_url(result) if callable(success_url) else success_url)


def form_page(request, form, service_call, *, page: dict, **submit):
    """A page that is one form: ``form_submit`` (``submit`` takes its keywords), else the form rendered in the
    shared ``includes/form_page.html`` with ``page`` (heading, intro, submit_label, back_url)."""
    return form_submit(request, form, service_call, **submit) or render(
        request, "includes/form_page.html", {"form": form, **page}
    )
