from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm
from backa_platform.core.validators import (
    LONG_TEXT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    validate_phone_number,
)
from tenants.models import County
from tenants.onboarding.models import Application, ChecklistItem, Partner
from tenants.onboarding.services import application_validate


class ApplicationForm(AccessibleForm):
    organisation_name = forms.CharField(label=_("Organisationens namn"), max_length=NAME_MAX_LENGTH)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=13, help_text=_("Tio siffror, t.ex. 212000-1173.")
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=Application._meta.get_field("kind").choices)
    county = forms.ChoiceField(label=_("Län"), choices=[("", _("Välj län"))] + County.choices)
    subdomain = forms.CharField(
        label=_("Önskad adress (subdomän)"),
        max_length=100,
        help_text=_("Gemena bokstäver a–z, siffror och bindestreck, t.ex. ystad."),
    )
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=NAME_MAX_LENGTH)
    contact_email = forms.CharField(label=_("Kontaktpersonens e-post"), max_length=254)
    contact_phone = forms.CharField(
        label=_("Kontaktpersonens telefon"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        validators=[validate_phone_number],
        help_text=_("Frivilligt. T.ex. 0411-57 70 00."),
    )
    partners = forms.MultipleChoiceField(
        label=_("Samverkansparter"),
        choices=Partner.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        """The service's rules too, in the same round as the form's own: every error is shown at once.

        Fields the form already refused keep that message (the service's rule is not repeated), except an empty
        required field: the service says what to enter there ("Ange organisationens namn, t.ex. …")."""
        cleaned = super().clean()
        values = {name: cleaned.get(name, self.data.get(name, "")) for name in self.fields}
        values["partners"] = cleaned.get("partners", self.data.getlist("partners") if self.data else [])
        try:
            application_validate(**values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self._errors and self.has_error(name, "required"):
                    del self._errors[name]
                if name not in self._errors:
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned


class DecisionForm(AccessibleForm):
    decision = forms.ChoiceField(choices=[("approve", _("Bevilja")), ("reject", _("Avslå"))], label=_("Beslut"))
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Krävs vid avslag."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def clean(self):
        cleaned = super().clean()
        # The service refuses it too; said here, the message stands beside the field it is about.
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Ange ett skäl till avslaget; det skickas till den sökande."))
        return cleaned


class ReasonForm(AccessibleForm):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH)


class ArchiveForm(AccessibleForm):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH)
    confirmation = forms.CharField(label=_("Skriv instansens schemanamn för att bekräfta"), max_length=100)


class ChecklistItemForm(AccessibleForm):
    key = forms.ChoiceField(choices=ChecklistItem.Key.choices, widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("Status"), choices=ChecklistItem.State.choices)
    note = forms.CharField(label=_("Kommentar"), max_length=SHORT_TEXT_MAX_LENGTH, required=False)


class GoLiveForm(AccessibleForm):
    planned_go_live = forms.DateField(
        label=_("Planerad driftstart"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AgreementForm(AccessibleForm):
    parties = forms.MultipleChoiceField(
        label=_("Parter"), choices=Partner.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    signed_on = forms.DateField(label=_("Undertecknad den"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label=_("Undertecknat dokument (PDF, högst 10 MB)"), required=False)
    signatory_1_name = forms.CharField(label=_("Undertecknare 1, namn"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_1_role = forms.CharField(label=_("Undertecknare 1, roll"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_1_party = forms.ChoiceField(label=_("Undertecknare 1, part"), choices=Partner.choices, required=False)
    signatory_2_name = forms.CharField(label=_("Undertecknare 2, namn"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_2_role = forms.CharField(label=_("Undertecknare 2, roll"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_2_party = forms.ChoiceField(label=_("Undertecknare 2, part"), choices=Partner.choices, required=False)
    signatory_3_name = forms.CharField(label=_("Undertecknare 3, namn"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_3_role = forms.CharField(label=_("Undertecknare 3, roll"), required=False, max_length=NAME_MAX_LENGTH)
    signatory_3_party = forms.ChoiceField(label=_("Undertecknare 3, part"), choices=Partner.choices, required=False)

    def signatories(self) -> list[dict]:
        return [
            {
                "name": self.cleaned_data.get(f"signatory_{n}_name", ""),
                "role": self.cleaned_data.get(f"signatory_{n}_role", ""),
                "party": self.cleaned_data.get(f"signatory_{n}_party", ""),
            }
            for n in (1, 2, 3)
        ]
