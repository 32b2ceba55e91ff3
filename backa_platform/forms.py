"""Form helpers for accessible pages: errors are tied to their fields (aria-describedby, aria-invalid)."""

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class AccessibleFormMixin:
    template_name = "includes/form.html"

    def render(self, template_name=None, context=None, renderer=None):
        # The project's templates (not the form renderer's): labels, help and errors tied to each field.
        return mark_safe(render_to_string(template_name or self.template_name, context or self.get_context()))  # noqa: S308

    __str__ = render
    __html__ = render

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described_by = [f"{self[name].auto_id}-error"]
                if self.fields[name].help_text:
                    described_by.append(f"{self[name].auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described_by)


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass
