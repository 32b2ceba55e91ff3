from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, PHONE_MAX_LENGTH, validate_phone_number
from modules.accounts.models import User
from modules.children.models import LegalGround
from modules.children.personnummer import identity_number_parse
from modules.organisations.models import Unit


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        unit = user.unit.name if user.unit_id else _("ingen enhet")
        return f"{user.full_name} ({unit})"


def active_staff():
    return User.objects.filter(is_active=True).select_related("unit").order_by("full_name")


class ChildRegisterForm(AccessibleForm):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Finns barnet redan registrerat hittas den befintliga akten."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    given_name = forms.CharField(label=_("Förnamn"), max_length=100)
    family_name = forms.CharField(label=_("Efternamn"), max_length=100)
    concern = forms.CharField(
        label=_("Vad har du uppmärksammat?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=_("Krävs om du inte blir barnets barnkontakt."),
    )
    as_child_contact = forms.BooleanField(
        label=_("Jag är barnets barnkontakt"),
        required=False,
        help_text=_(
            "Gäller ett barn som registreras nu och går på din enhet. Är barnet redan registrerat skickas din "
            "uppgift till den som beslutar om barnkontakt."
        ),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter barnet går på"),
        # A closed unit takes no new children (issue 19); the units form below still lists every unit.
        queryset=Unit.objects.filter(closed_at__isnull=True).select_related("organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guardian_name = forms.CharField(label=_("Vårdnadshavares namn"), max_length=200, required=False)
    guardian_relation = forms.CharField(label=_("Relation till barnet"), max_length=60, required=False)
    guardian_phone = forms.CharField(
        label=_("Vårdnadshavares telefon"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        validators=[validate_phone_number],
    )
    guardian_email = forms.EmailField(label=_("Vårdnadshavares e-postadress"), required=False)

    def clean_personnummer(self):
        value = self.cleaned_data["personnummer"]
        identity_number_parse(value)  # raises a precise Swedish message tied to this field
        return value

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("concern") or "").strip() and not cleaned.get("as_child_contact"):
            self.add_error("concern", _("Beskriv vad du har uppmärksammat, eller markera att du är barnkontakt."))
        return cleaned


def _reason_field():
    return forms.CharField(
        label=_("Skäl"),
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Beslutet sparas med skälet i barnets historik."),
    )


class PersonForm(AccessibleForm):
    user = StaffChoiceField(label=_("Medarbetare"), queryset=active_staff())
    reason = _reason_field()


class OptionalPersonForm(AccessibleForm):
    user = StaffChoiceField(
        label=_("Medarbetare"), queryset=active_staff(), required=False, empty_label=_("Ingen (avsluta samordningen)")
    )
    reason = _reason_field()


class EmergencyAccessForm(AccessibleForm):
    personnummer = forms.CharField(
        label=_("Barnets personnummer eller samordningsnummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Skäl till nödåtkomsten"),
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Nödåtkomst ger dig läsrätt till barnets akt under en begränsad tid. Den loggas, barnkontakten "
            "underrättas och den lokala administratören granskar den."
        ),
    )

    def clean_personnummer(self):
        value = self.cleaned_data["personnummer"]
        identity_number_parse(value)  # raises a precise Swedish message tied to this field
        return value


class TeamMemberForm(AccessibleForm):
    user = StaffChoiceField(label=_("Medarbetare"), queryset=active_staff())
    team_role = forms.CharField(
        label=_("Roll i barnteamet"), max_length=100, help_text=_("T.ex. kurator, BUP-psykolog")
    )
    started_on = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    legal_ground = forms.ChoiceField(
        label=_("Rättslig grund (om inget samtycke omfattar organisationen)"),
        choices=LegalGround.choices,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("started_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["started_on"]:
            self.add_error("ends_on", ValidationError(_("Slutdatumet kan inte ligga före startdatumet.")))
        return cleaned


class GuardianForm(AccessibleForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    relation = forms.CharField(label=_("Relation till barnet"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("Telefon"), max_length=PHONE_MAX_LENGTH, required=False, validators=[validate_phone_number]
    )
    email = forms.EmailField(label=_("E-postadress"), required=False)


class UnitsForm(AccessibleForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter barnet går på"),
        queryset=Unit.objects.select_related("organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
