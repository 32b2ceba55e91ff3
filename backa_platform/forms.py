"""Form helpers for accessible pages: errors are tied to their fields (aria-describedby, aria-invalid)."""

from django import forms


class AccessibleFormMixin:
    template_name = "includes/form.html"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass
