"""Form helpers for accessible pages: one layout for every form (templates/includes/form.html and field.html).

Django (5.2) ties each field's help text ({id}_helptext) and errors ({id}_error) to its input with
aria-describedby and sets aria-invalid; the templates give those ids to the help and the errors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


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


# --- Lists edited as rows (formsets) ----------------------------------------------------------------------
_ROW_TOOLS = ("ORDER", "DELETE")


class Rows:
    """A list inside a document (an area's guiding questions, a quiz's questions) edited as formset rows: one
    row per entry with both languages side by side, so adding, removing or moving an entry does both.

    Without scripts: one blank row to fill in, a "remove" box and an order number per row. static/js/rows.js
    adds "add a row" and "move up/down" buttons (templates/includes/rows.html renders it all).
    """

    def __init__(self, row_form, *, prefix: str, heading, row_label, data=None, files=None, initial=None, help_text=""):
        formset_class = forms.formset_factory(row_form, extra=1, can_delete=True, can_order=True)
        self.formset = formset_class(data, files, prefix=prefix, initial=initial)
        self.heading, self.row_label, self.help_text, self.prefix = heading, row_label, help_text, prefix
        self._kept: list[forms.Form] = []

    def is_valid(self) -> bool:
        valid = self.formset.is_valid()
        if valid:
            # A row left blank is no entry, whatever its order number (the script renumbers every row).
            self._kept = [
                form
                for form in self.formset.ordered_forms
                if any(value not in ("", None) for name, value in form.cleaned_data.items() if name not in _ROW_TOOLS)
            ]
        return valid

    def kept(self) -> list[dict]:
        """The rows' cleaned data in their chosen order, without removed and untouched blank rows."""
        return [form.cleaned_data for form in self._kept]

    def add_error(self, index: int | None, field: str | None, message) -> None:
        """A message at row ``index`` (of the kept rows) and its ``field``, or for the list as a whole."""
        if index is None or index >= len(self._kept):
            self.formset._non_form_errors.append(message)
            return
        form = self._kept[index]
        form.add_error(field if field in form.fields else None, message)

    @property
    def forms(self):
        return [form for form in self.formset.forms if form.errors]

    def __iter__(self):
        return iter(self.formset.forms)


def bilingual_fields(name: str, label, *, long: bool = False, help_text="") -> dict:
    """``<name>_sv`` and ``<name>_en``, side by side in a row; never required here: the schema judges."""
    widget = (lambda: forms.Textarea(attrs={"rows": 3})) if long else (lambda: forms.TextInput())
    return {
        f"{name}_{language}": forms.CharField(
            label=format_lazy("{} ({})", label, language_label),
            required=False,
            widget=widget(),
            help_text=help_text,
            strip=True,
        )
        for language, language_label in (("sv", _("svenska")), ("en", _("engelska")))
    }


def row_form(name: str, fields: dict) -> type[AccessibleForm]:
    return type(name, (AccessibleForm,), dict(fields))
