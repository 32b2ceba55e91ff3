"""Forms built from the installed release: the areas, scale, perspectives and support levels are the
release's, never the code's."""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, MINUTES_MAX_LENGTH
from modules.casework.models import Goal
from modules.casework.selectors import release_items, release_scale_levels
from modules.children.forms import StaffChoiceField, active_staff
from modules.model_config.models import ModelItem


def _in_active_language(text: dict) -> str:
    """A release's {"sv", "en"} text in the language of the page, as ModelItem.name does (Swedish when the
    English is missing). The form is built per request, so the active language is the reader's."""
    english = (get_language() or "sv").startswith("en")
    return (text.get("en") if english else "") or text.get("sv", "")


def _level_label(level: dict) -> str:
    return f"{level['key']} – {_in_active_language(level['label'])}"


def area_help(area: ModelItem) -> str:
    """What staff read under an area when they assess: its description and its guiding questions."""
    questions = " ".join(_in_active_language(question) for question in area.details.get("guiding_questions", []))
    if not questions:
        return area.description
    return " ".join(
        part for part in (area.description, _("Vägledande frågor: %(questions)s") % {"questions": questions}) if part
    )


def area_fields(area: ModelItem, level_choices: list) -> dict:
    """An area's two fields in an assessment (its rating and its description), also the editors' preview."""
    return {
        f"level_{area.key}": forms.ChoiceField(
            label=_("%(area)s: skattning") % {"area": area.name}, choices=level_choices, help_text=area_help(area)
        ),
        f"text_{area.key}": forms.CharField(
            label=_("%(area)s: beskrivning") % {"area": area.name},
            required=False,
            max_length=LONG_TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    }


class AreaPreviewForm(AccessibleForm):
    """One area as staff see it in an assessment (the editor's preview), with the scale's levels."""

    def __init__(self, *args, area: ModelItem, levels: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Välj"))] + [(level["key"], _level_label(level)) for level in levels]
        self.fields.update(area_fields(area, choices))


class ConcernForm(AccessibleForm):
    description = forms.CharField(
        label=_("Vad har du uppmärksammat?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    area_keys = forms.MultipleChoiceField(
        label=_("Vilka områden i Behovskompassen berörs?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    urgency = forms.ChoiceField(
        label=_("Hur brådskande är det?"),
        choices=[("normal", _("Inom några dagar")), ("high", _("Brådskande")), ("low", _("Kan vänta"))],
    )
    guardians_informed = forms.ChoiceField(
        label=_("Vet vårdnadshavarna om din oro?"),
        choices=[("", _("Vet inte")), ("yes", _("Ja")), ("no", _("Nej"))],
        required=False,
    )

    def __init__(self, *args, release=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = release_items(release=release, kind=ModelItem.Kind.AREA) if release else []
        self.fields["area_keys"].choices = [(item.key, item.name) for item in areas]


class ConcernAcknowledgeForm(AccessibleForm):
    """Acknowledging a concern; for a child without a Barnkontakt, also naming one."""

    child_contact = StaffChoiceField(label=_("Barnkontakt"), queryset=None, required=False)

    def __init__(self, *args, concern_id, needs_child_contact, **kwargs):
        super().__init__(*args, prefix=f"concern-{concern_id}", **kwargs)
        self.fields["child_contact"].queryset = active_staff()
        if needs_child_contact:
            self.fields["child_contact"].required = True
            self.fields["child_contact"].help_text = _(
                "Barnet har ingen barnkontakt ännu: den du väljer bär barnet vidare."
            )
        else:
            del self.fields["child_contact"]


class AssessmentForm(AccessibleForm):
    assessed_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args, release, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        levels = release_scale_levels(release=release)
        level_choices = [("", _("Välj"))] + [(level["key"], _level_label(level)) for level in levels]
        self.areas = release_items(release=release, kind=ModelItem.Kind.AREA)
        self.perspectives = release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)
        perspective_choices = [("", _("Ej skattat"))] + level_choices[1:]
        for area in self.areas:
            fields = area_fields(area, level_choices)
            # The step's page shows the guiding questions beside the area (assessment_step.html): the help text
            # under the rating is the description alone.
            fields[f"level_{area.key}"].help_text = area.description
            self.fields[f"level_{area.key}"] = fields[f"level_{area.key}"]
            for perspective in self.perspectives:
                self.fields[f"persp_{perspective.key}_{area.key}"] = forms.ChoiceField(
                    label=_("%(area)s, perspektiv %(perspective)s (valfritt)")
                    % {"area": area.name, "perspective": perspective.name},
                    choices=perspective_choices,
                    required=False,
                )
            self.fields[f"text_{area.key}"] = fields[f"text_{area.key}"]
        self.fields["perspective_keys"] = forms.MultipleChoiceField(
            label=_("Perspektiv"),
            widget=forms.CheckboxSelectMultiple,
            choices=[(item.key, item.name) for item in release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)],
        )
        self.fields["participants"] = forms.CharField(label=_("Vilka deltog?"), max_length=500)
        self.fields["support_level_key"] = forms.ChoiceField(
            label=_("Stödnivå"),
            choices=[("", _("Välj"))]
            + [(item.key, item.name) for item in release_items(release=release, kind=ModelItem.Kind.SUPPORT_LEVEL)],
        )
        self.fields["support_level_reason"] = forms.CharField(
            label=_("Skäl för stödnivån"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH
        )
        self.axes = release_items(release=release, kind=ModelItem.Kind.RESILIENCE_AXIS)
        for axis in self.axes:
            low, high = (
                _in_active_language(axis.details.get("low", {})),
                _in_active_language(axis.details.get("high", {})),
            )
            self.fields[f"resilience_{axis.key}"] = forms.TypedChoiceField(
                label=_("Resiliensmatris, %(axis)s (valfritt)") % {"axis": axis.name},
                choices=[("", _("Ingen placering"))]
                + [(str(value), f"{value:+d}" if value else "0") for value in range(-2, 3)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("-2 = %(low)s, +2 = %(high)s") % {"low": low, "high": high},
            )
        self.sub_areas = []
        for side in release_items(release=release, kind=ModelItem.Kind.TRIANGLE_SIDE):
            for sub in side.details.get("sub_areas", []):
                self.sub_areas.append(sub["key"])
                self.fields[f"triangle_{sub['key']}"] = forms.CharField(
                    label=_("Min värld-triangeln, %(side)s: %(sub)s (valfritt)")
                    % {"side": side.name, "sub": _in_active_language(sub["name"])},
                    required=False,
                    max_length=LONG_TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 1}),
                )
        self.goals = list(goals)
        outcome_choices = [("", _("Välj"))] + [c for c in Goal.Outcome.choices if c[0]]
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Mål: %(text)s") % {"text": goal.text}, choices=outcome_choices
            )

    def guiding_questions(self, area) -> list[str]:
        return [_in_active_language(question) for question in area.details.get("guiding_questions", [])]

    def sections(self) -> list[dict]:
        """The long form in steps, each a title and its fields' names; a step with no field is left out."""
        fields = list(self.fields)
        area_fields = {
            area.key: [f"level_{area.key}"]
            + [f"persp_{perspective.key}_{area.key}" for perspective in self.perspectives]
            + [f"text_{area.key}"]
            for area in self.areas
        }
        steps = [
            ("om", _("Om bedömningen"), ["assessed_on", "perspective_keys", "participants"]),
            ("omraden", _("Behovskompassens områden"), [name for names in area_fields.values() for name in names]),
            ("triangeln", _("Min värld-triangeln"), [name for name in fields if name.startswith("triangle_")]),
            ("resiliens", _("Resiliensmatrisen"), [name for name in fields if name.startswith("resilience_")]),
            (
                "stodniva",
                _("Stödnivå och mål"),
                ["support_level_key", "support_level_reason"] + [name for name in fields if name.startswith("goal_")],
            ),
        ]
        sections = [{"key": key, "title": title, "fields": names} for key, title, names in steps if names]
        if self.areas:
            sections[1]["areas"] = [
                {
                    "key": area.key,
                    "name": area.name,
                    "questions": self.guiding_questions(area),
                    "fields": area_fields[area.key],
                }
                for area in self.areas
            ]
        return sections

    def perspective_ratings(self):
        from modules.casework.perspectives import PerspectiveRatingData

        return [
            PerspectiveRatingData(
                perspective_key=perspective.key,
                area_key=area.key,
                level_key=self.cleaned_data[f"persp_{perspective.key}_{area.key}"],
            )
            for perspective in self.perspectives
            for area in self.areas
            if self.cleaned_data.get(f"persp_{perspective.key}_{area.key}")
        ]

    def ratings(self):
        from modules.casework.services import RatingData

        return [
            RatingData(
                area_key=area.key,
                level_key=self.cleaned_data[f"level_{area.key}"],
                description=self.cleaned_data[f"text_{area.key}"],
            )
            for area in self.areas
        ]

    def resilience(self):
        return {axis.key: self.cleaned_data[f"resilience_{axis.key}"] for axis in self.axes}

    def triangle_notes(self):
        return {key: self.cleaned_data[f"triangle_{key}"] for key in self.sub_areas}

    def goal_outcomes(self):
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}


class PlanStartForm(AccessibleForm):
    next_review_on = forms.DateField(label=_("Första uppföljning"), widget=forms.DateInput(attrs={"type": "date"}))


class GoalForm(AccessibleForm):
    area_key = forms.ChoiceField(label=_("Område"))
    text = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH)
    child_words = forms.CharField(
        label=_("Barnets egna ord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    guardian_words = forms.CharField(
        label=_("Vårdnadshavarnas ord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_key"].choices = [("", _("Välj"))] + [
            (item.key, item.name) for item in release_items(release=release, kind=ModelItem.Kind.AREA)
        ]


class ReviewForm(AccessibleForm):
    next_review_on = forms.DateField(label=_("Nästa uppföljning"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Skäl till att ärendet avslutas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


def _datetime_local(label):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class MeetingForm(AccessibleForm):
    starts_at = _datetime_local(_("Börjar"))
    ends_at = _datetime_local(_("Slutar"))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Länk till videomöte"),
        max_length=500,
        required=False,
        help_text=_("Ange en plats, en länk eller båda."),
    )
    agenda = forms.CharField(
        label=_("Dagordning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=LONG_TEXT_MAX_LENGTH
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Kalla från barnteamet"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    guardians = forms.ModelMultipleChoiceField(
        label=_("Vårdnadshavare som kallas"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    child_takes_part = forms.BooleanField(label=_("Barnet deltar"), required=False)
    others = forms.CharField(
        label=_("Andra deltagare (valfritt)"),
        help_text=_("En per rad: namn, roll. Till exempel: Kim Berg, tolk"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, team_users, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = team_users
        self.fields["staff"].label_from_instance = lambda user: user.full_name
        self.fields["guardians"].queryset = guardians
        self.fields["guardians"].label_from_instance = lambda guardian: guardian.name

    @staticmethod
    def others_initial(meeting) -> str:
        return "\n".join(f"{guest.name}, {guest.role}" for guest in meeting.guests.filter(kind="other"))

    def clean_others(self):
        from modules.casework.meetings import GuestData

        others = []
        for line in self.cleaned_data["others"].splitlines():
            if not line.strip():
                continue
            name, _comma, role = line.partition(",")
            if not name.strip() or not role.strip():
                raise forms.ValidationError(_("Skriv namn och roll med ett komma emellan, en person per rad."))
            others.append(GuestData(name=name.strip(), role=role.strip()))
        return others

    def meeting_data(self):
        from modules.casework.meetings import MeetingData

        values = self.cleaned_data
        return MeetingData(
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            place=values["place"],
            video_link=values["video_link"],
            agenda=values["agenda"],
            staff=list(values["staff"]),
            guardians=list(values["guardians"]),
            child_takes_part=values["child_takes_part"],
            others=values["others"],
        )


class MeetingCancelForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Varför ställs mötet in?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX_LENGTH
    )


class MeetingAttendanceForm(AccessibleForm):
    """One checkbox per person called to the meeting: ticked is present."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(meeting.participants.select_related("user").order_by("user__full_name"))
        self.guests = list(meeting.guests.all())
        for participant in self.participants:
            self.fields[f"staff_{participant.user_id}"] = forms.BooleanField(
                label=participant.user.full_name, required=False, initial=bool(participant.attended)
            )
        for guest in self.guests:
            role = guest.role or guest.get_kind_display()
            self.fields[f"guest_{guest.pk}"] = forms.BooleanField(
                label=f"{guest.name} ({role})", required=False, initial=bool(guest.attended)
            )

    def present_user_ids(self):
        return [p.user_id for p in self.participants if self.cleaned_data[f"staff_{p.user_id}"]]

    def present_guest_ids(self):
        return [guest.pk for guest in self.guests if self.cleaned_data[f"guest_{guest.pk}"]]


class MeetingRecordForm(AccessibleForm):
    minutes = forms.CharField(
        label=_("Anteckningar"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MINUTES_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, 4):
            self.fields[f"decision_{number}"] = forms.CharField(
                label=_("Beslut %(n)s") % {"n": number}, required=False, max_length=500
            )
            self.fields[f"responsible_{number}"] = forms.CharField(
                label=_("Beslut %(n)s: vem ansvarar (beslutet blir en insats i planen)") % {"n": number},
                required=False,
                max_length=200,
            )
            self.fields[f"due_{number}"] = forms.DateField(
                label=_("Beslut %(n)s: senast") % {"n": number},
                help_text=_("Utan datum: till nästa uppföljning."),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    # The service names a decision's fields by the decision's index: decisions.<index>.<field>.
    SERVICE_FIELDS = {"text": "decision_{n}", "responsible": "responsible_{n}", "due_on": "due_{n}"}

    def decisions(self):
        """Every row, empty ones too, so the service's decision index is the row's number less one."""
        from modules.casework.meetings import DecisionData

        return [
            DecisionData(
                text=self.cleaned_data[f"decision_{n}"],
                responsible=self.cleaned_data[f"responsible_{n}"],
                due_on=self.cleaned_data[f"due_{n}"],
            )
            for n in range(1, 4)
        ]

    def field_for(self, service_key: str) -> str:
        """The form field of a service error key (``decisions.1.responsible`` → ``responsible_2``)."""
        parts = service_key.split(".")
        if len(parts) == 3 and parts[0] == "decisions" and parts[1].isdigit() and parts[2] in self.SERVICE_FIELDS:
            return self.SERVICE_FIELDS[parts[2]].format(n=int(parts[1]) + 1)
        return service_key


class RetentionForm(AccessibleForm):
    months = forms.IntegerField(
        label=_("Gallringsfrist för avslutade ärenden (månader)"),
        min_value=1,
        max_value=1200,
        help_text=_("Avslutade ärenden gallras när så många månader har gått sedan de avslutades."),
    )
