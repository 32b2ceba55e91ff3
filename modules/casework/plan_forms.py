"""Forms for Barnets plan over time: who is responsible for an action (one choice among the team, the units,
the guardians and the child), editing and ending with a reason, follow-up, revision, agreement, and the
documents' settings."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.casework.forms import GoalForm
from modules.casework.models import Action, Goal, PlanAgreement
from modules.casework.plan_selectors import team_users
from modules.casework.plan_services import Responsible
from modules.organisations.models import Unit

DATE = {"type": "date"}


def _reason(label):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH)


class ResponsibleField(forms.ChoiceField):
    """One select: the staff working with the child, the units, the guardians, the child. Its value is
    ``staff:<id>``, ``unit:<id>``, ``guardians`` or ``child``; ``responsible()`` turns it into a Responsible."""

    def __init__(self, *, child, **kwargs):
        kinds = Action.ResponsibleKind
        staff = [(f"staff:{user.pk}", user.full_name) for user in team_users(child=child)]
        units = [(f"unit:{unit.pk}", unit.name) for unit in Unit.objects.order_by("name")]
        choices = [
            ("", _("Välj")),
            (str(kinds.STAFF.label), staff),
            (str(kinds.UNIT.label), units),
            (
                str(_("Familjen")),
                [(kinds.GUARDIANS.value, kinds.GUARDIANS.label), (kinds.CHILD.value, kinds.CHILD.label)],
            ),
        ]
        super().__init__(choices=choices, **kwargs)

    @staticmethod
    def initial_for(action: Action) -> str:
        if action.responsible_kind == Action.ResponsibleKind.STAFF:
            return f"staff:{action.responsible_user_id}"
        if action.responsible_kind == Action.ResponsibleKind.UNIT:
            return f"unit:{action.responsible_unit_id}"
        return action.responsible_kind

    @staticmethod
    def responsible(value: str) -> Responsible | None:
        from modules.accounts.models import User

        kind, _sep, pk = value.partition(":")
        if kind == Action.ResponsibleKind.STAFF:
            return Responsible(kind=kind, user=User.objects.filter(pk=pk).first())
        if kind == Action.ResponsibleKind.UNIT:
            return Responsible(kind=kind, unit=Unit.objects.filter(pk=pk).first())
        return Responsible(kind=kind) if kind else None


class ActionForm(AccessibleForm):
    """A new action, or an action changed (with a reason)."""

    what = forms.CharField(
        label=_("Vad ska göras?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH
    )
    due_on = forms.DateField(label=_("Senast"), widget=forms.DateInput(attrs=DATE))
    goal = forms.ModelChoiceField(label=_("Hör till mål"), queryset=Goal.objects.none(), required=False)

    def __init__(self, *args, plan, action: Action | None = None, **kwargs):
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "what": action.what,
                    "due_on": action.due_on,
                    "goal": action.goal_id,
                    "responsible": ResponsibleField.initial_for(action),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = ResponsibleField(child=plan.child, label=_("Vem ansvarar?"))
        self.order_fields(["what", "responsible", "due_on", "goal"])
        self.fields["goal"].queryset = plan.goals.filter(ended_at__isnull=True)
        self.fields["goal"].label_from_instance = lambda goal: goal.text
        if action is not None:
            self.fields["reason"] = _reason(_("Varför ändras insatsen?"))

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        values["responsible"] = ResponsibleField.responsible(values["responsible"])
        return values


class GoalEditForm(GoalForm):
    """A goal's fields as when it was added, filled with what it says now, and why it changes."""

    reason = _reason(_("Varför ändras målet?"))

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "area_key": goal.area_key,
                "text": goal.text,
                "child_words": goal.child_words,
                "guardian_words": goal.guardian_words,
            },
        )
        super().__init__(*args, release=goal.plan.release, **kwargs)
        self.fields["area_key"].choices = self.fields["area_key"].choices[1:]  # a goal keeps an area: no "Välj"


class EndForm(AccessibleForm):
    reason = _reason(_("Varför avslutas det?"))


class FollowUpForm(AccessibleForm):
    held_on = forms.DateField(
        label=_("Uppföljningens datum"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate
    )

    def __init__(self, *args, plan, suggested, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(plan.goals.filter(ended_at__isnull=True))
        choices = [("", _("Välj"))] + [c for c in Goal.Outcome.choices if c[0]]
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Utfall för målet: %(text)s") % {"text": goal.text}, choices=choices
            )
        self.fields["next_review_on"] = forms.DateField(
            label=_("Nästa uppföljning"),
            widget=forms.DateInput(attrs=DATE),
            initial=suggested,
            help_text=_("Föreslaget utifrån stödnivån: om %(weeks)s veckor. Ändra vid behov.") % {"weeks": weeks},
        )
        self.fields["note"] = forms.CharField(
            label=_("Anteckning (valfritt)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            max_length=LONG_TEXT_MAX_LENGTH,
        )

    def outcomes(self) -> dict:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def field_for(self, service_key: str) -> str:
        """An outcome missing is shown at the first goal's field (the summary links there)."""
        if service_key == "outcomes" and self.goals:
            return f"goal_{self.goals[0].pk}"
        return service_key


class ReviseForm(AccessibleForm):
    reason = _reason(_("Varför revideras planen?"))


class AgreementForm(AccessibleForm):
    who = forms.ChoiceField(label=_("Vem godkänner planen?"))
    agreed_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("Hur"), choices=[("", _("Välj"))] + PlanAgreement.Method.choices)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["who"].choices = (
            [("", _("Välj"))]
            + [(f"guardian:{guardian.pk}", guardian.name) for guardian in child.guardians.order_by("pk")]
            + [("child", _("Barnet (%(name)s), efter ålder och mognad") % {"name": child.full_name})]
        )

    def values(self) -> dict:
        who = self.cleaned_data["who"]
        guardian = None
        if who.startswith("guardian:"):
            guardian = self.child.guardians.filter(pk=who.partition(":")[2]).first()
        return {
            "party": PlanAgreement.Party.GUARDIAN if guardian else PlanAgreement.Party.CHILD,
            "guardian": guardian,
            "agreed_on": self.cleaned_data["agreed_on"],
            "method": self.cleaned_data["method"],
        }

    def field_for(self, service_key: str) -> str:
        return "who" if service_key in {"guardian", "party"} else service_key


class PdfLanguageForm(forms.Form):
    sprak = forms.ChoiceField(choices=[("sv", "sv"), ("en", "en")], required=False)


class DocumentSettingForm(AccessibleForm):
    municipality_name = forms.CharField(label=_("Kommunens namn på dokument till familjer"), max_length=200)
    phone = forms.CharField(label=_("Telefon till kommunen (växel)"), max_length=40, required=False)
    logo = forms.FileField(
        label=_("Logotyp (PNG eller JPEG, högst 1 MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Ta bort logotypen"), required=False)
