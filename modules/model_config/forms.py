"""The structured editor of one model item: its names and descriptions, and what its kind carries in
``details`` (guiding questions, scale levels, sub-areas, plan sections, poles) as fields and rows, never JSON.

The details schemas in ``bundle.py`` stay the one judge of what is valid: the editor builds ``details`` from
the fields, asks the schema, and puts each message at the field its path names.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from backa_platform.core.forms import AccessibleForm, Rows, bilingual_fields, form_errors_add, row_form
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.model_config.bundle import details_errors
from modules.model_config.models import ModelItem


@dataclass(frozen=True)
class ListSpec:
    """One list in a kind's details: its name there, its row's texts, whether a row has a key."""

    name: str
    heading: object
    row_label: object
    texts: tuple  # (name, label, long) per bilingual text of a row
    keyed: bool = True
    help_text: object = ""
    # A row that is itself a text ({"sv", "en"}), as a guiding question is: its one text is the row.
    bare: bool = False
    extra: dict = field(default_factory=dict)


LISTS = {
    ModelItem.Kind.AREA: ListSpec(
        "guiding_questions",
        _("Vägledande frågor"),
        _("Fråga"),
        (("question", _("Fråga"), False),),
        keyed=False,
        bare=True,
        help_text=_("Varje fråga på svenska och engelska, i den ordning de ska ställas."),
    ),
    ModelItem.Kind.RATING_SCALE: ListSpec(
        "levels",
        _("Nivåer"),
        _("Nivå"),
        (("label", _("Benämning"), False), ("meaning", _("Betydelse"), True)),
        help_text=_("Minst två nivåer, från den lägsta till den högsta."),
    ),
    ModelItem.Kind.TRIANGLE_SIDE: ListSpec("sub_areas", _("Delområden"), _("Delområde"), (("name", _("Namn"), False),)),
    ModelItem.Kind.PLAN_TEMPLATE: ListSpec(
        "sections",
        _("Avsnitt"),
        _("Avsnitt"),
        (("title", _("Rubrik"), False), ("help", _("Hjälptext (valfri)"), True)),
    ),
}
# Kinds whose details are texts of their own (a resilience axis' two ends).
POLES = {ModelItem.Kind.RESILIENCE_AXIS: (("low", _("Låg ände")), ("high", _("Hög ände")))}


def _row_form_for(spec: ListSpec) -> type[AccessibleForm]:
    fields = {}
    if spec.keyed:
        fields["key"] = forms.CharField(
            label=_("Nyckel"),
            required=False,
            max_length=60,
            help_text=_("Små bokstäver, siffror och bindestreck; ändras inte efter publicering."),
        )
    for name, label, long in spec.texts:
        fields.update(bilingual_fields(name, label, long=long))
    return row_form(f"{spec.name.title()}RowForm", fields)


_ROW_FORMS = {kind: _row_form_for(spec) for kind, spec in LISTS.items()}


class ModelItemForm(AccessibleForm):
    key = forms.SlugField(
        label=_("Nyckel"), max_length=60, help_text=_("Små bokstäver, siffror och bindestreck, t.ex. fritid.")
    )
    position = forms.IntegerField(label=_("Ordning"), min_value=0, required=False)
    name_sv = forms.CharField(label=_("Namn (svenska)"), max_length=200)
    name_en = forms.CharField(label=_("Namn (engelska)"), max_length=200)
    description_sv = forms.CharField(
        label=_("Beskrivning (svenska)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )  # fmt: skip
    description_en = forms.CharField(
        label=_("Beskrivning (engelska)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )  # fmt: skip

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in POLES.get(kind, ()):
            self.fields.update(bilingual_fields(name, label))

    def field_for(self, service_key: str) -> str:
        return service_key


class ModelItemEditor:
    """The form and, for kinds with a list, its rows; ``is_valid`` also asks the kind's details schema."""

    def __init__(self, kind: str, *, item: ModelItem | None = None, data=None):
        self.kind, self.item = kind, item
        self.spec = LISTS.get(kind)
        details = item.details if item else {}
        initial = {}
        if item:
            initial = {
                name: getattr(item, name)
                for name in ("key", "position", "name_sv", "name_en", "description_sv", "description_en")
            }
            for name, _label in POLES.get(kind, ()):
                initial.update({f"{name}_{lang}": details.get(name, {}).get(lang, "") for lang in ("sv", "en")})
        self.form = ModelItemForm(data, initial=initial, kind=kind)
        self.rows = None
        if self.spec:
            self.rows = Rows(
                _ROW_FORMS[kind],
                prefix=self.spec.name,
                heading=self.spec.heading,
                row_label=self.spec.row_label,
                help_text=self.spec.help_text,
                data=data,
                initial=[self._row_initial(entry) for entry in details.get(self.spec.name, [])],
            )
        self.details: dict = {}

    # Rows <-> the details' JSON ---------------------------------------------------------------------
    def _row_initial(self, entry: dict) -> dict:
        if self.spec.bare:
            ((name, _label, _long),) = self.spec.texts
            return {f"{name}_sv": entry.get("sv", ""), f"{name}_en": entry.get("en", "")}
        row = {"key": entry.get("key", "")} if self.spec.keyed else {}
        for name, _label, _long in self.spec.texts:
            row.update({f"{name}_{lang}": entry.get(name, {}).get(lang, "") for lang in ("sv", "en")})
        return row

    def _row_entry(self, row: dict) -> dict:
        if self.spec.bare:
            ((name, _label, _long),) = self.spec.texts
            return {"sv": row[f"{name}_sv"], "en": row[f"{name}_en"]}
        entry = {"key": row["key"].strip()} if self.spec.keyed else {}
        for name, _label, _long in self.spec.texts:
            entry[name] = {"sv": row[f"{name}_sv"], "en": row[f"{name}_en"]}
        return entry

    def _details_build(self) -> dict:
        cleaned = self.form.cleaned_data
        details = {
            name: {"sv": cleaned[f"{name}_sv"], "en": cleaned[f"{name}_en"]} for name, _ in POLES.get(self.kind, ())
        }
        if self.spec:
            details[self.spec.name] = [self._row_entry(row) for row in self.rows.kept()]
        return details

    def _error_at(self, path: tuple, message: str) -> None:
        """A schema message at the field its path names: a row's field, a pole's field or the list itself."""
        if self.spec and path and path[0] == self.spec.name:
            if len(path) == 1:
                self.rows.add_error(None, None, message)
                return
            index, rest = path[1], path[2:]
            if self.spec.bare:
                ((name, _label, _long),) = self.spec.texts
                field_name = f"{name}_{rest[0]}" if rest else None
            else:
                field_name = "_".join(str(step) for step in rest) or None
            self.rows.add_error(index, field_name, message)
            return
        field_name = "_".join(str(step) for step in path)
        self.form.add_error(field_name if field_name in self.form.fields else None, message)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = (self.rows.is_valid() if self.rows else True) and valid
        if not valid:
            return False
        self.details = self._details_build()
        errors = details_errors(kind=self.kind, details=self.details)
        for path, message in errors:
            self._error_at(path, message)
        return not errors

    def values(self) -> dict:
        """The service's keywords (``model_item_save``)."""
        cleaned = self.form.cleaned_data
        fields = ("key", "position", "name_sv", "name_en", "description_sv", "description_en")
        return {**{name: cleaned[name] for name in fields}, "details": self.details}

    def refusal_add(self, error) -> None:
        form_errors_add(self.form, error)

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or bool(self.rows and (self.rows.forms or self.rows.formset.non_form_errors()))
