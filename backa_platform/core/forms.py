"""Form helpers for accessible pages: one layout for every form (templates/includes/form.html and field.html).

Django (5.2) ties each field's help text ({id}_helptext) and errors ({id}_error) to its input with
aria-describedby and sets aria-invalid; the templates give those ids to the help and the errors."""

from django import forms
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
