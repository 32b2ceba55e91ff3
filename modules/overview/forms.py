from django import forms
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm
from modules.casework.selectors import release_items
from modules.model_config.models import ModelItem
from modules.model_config.selectors import installed_release_current
from modules.organisations.models import Unit


class CaseloadFilterForm(AccessibleForm):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla"))
    support_level = forms.ChoiceField(label=_("Stödnivå"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Visa bara barn med"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("overdue", _("försenade insatser")),
            ("concerns", _("okvitterad oro")),
            ("consents", _("samtycke som snart går ut")),
            ("review", _("uppföljning inom två veckor eller passerad")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[
            ("name", _("namn")),
            ("review", _("nästa uppföljning")),
            ("overdue", _("flest försenade insatser")),
            ("concerns", _("flest okvitterade oror")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        )
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.name} ({unit.organisation.name})"
        release = installed_release_current()
        levels = release_items(release=release, kind=ModelItem.Kind.SUPPORT_LEVEL) if release else []
        self.fields["support_level"].choices = [("", _("Alla"))] + [(item.key, item.name) for item in levels]
