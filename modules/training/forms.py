"""Training's forms: the structured editors of a course and a lesson (its links, its quiz with questions,
options, the right answer and an explanation, its video and attachments; never JSON), and the quiz staff take.

The same editors serve the national content editors (central drafts) and a local admin (the tenant's own
courses). The bundle's schemas (``bundle.py``) judge what is valid; each message lands at its field.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backa_platform.core.bundle import schema_errors
from backa_platform.core.forms import AccessibleForm, Rows, bilingual_fields, form_errors_add, row_form
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.accounts.models import User
from modules.training.bundle import LINKS_VALIDATOR, QUIZ_VALIDATOR, VIDEO_VALIDATOR
from modules.training.models import Lesson

OPTION_SLOTS = 5


class QuizForm(forms.Form):
    """The quiz as staff take it: one group of radio buttons per question, in the reader's language."""

    def __init__(self, *args, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.TypedChoiceField(
                label=question["text"][language],
                choices=[(str(i), option[language]) for i, option in enumerate(question["options"])],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj ett svar.")},
            )


class CourseForm(AccessibleForm):
    key = forms.SlugField(label=gettext_lazy("Nyckel"), max_length=60)
    title_sv = forms.CharField(label=gettext_lazy("Titel (svenska)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Titel (engelska)"), max_length=200)
    description_sv = forms.CharField(
        label=gettext_lazy("Beskrivning (svenska)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )  # fmt: skip
    description_en = forms.CharField(
        label=gettext_lazy("Beskrivning (engelska)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )  # fmt: skip
    target_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Målgrupper"),
        choices=[(role.value, role.label) for role in (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF)],
        widget=forms.CheckboxSelectMultiple,
    )
    required = forms.BooleanField(label=gettext_lazy("Obligatorisk"), required=False)

    def field_for(self, service_key: str) -> str:
        return service_key


LinkRowForm = row_form(
    "LinkRowForm",
    {
        **bilingual_fields("title", gettext_lazy("Rubrik")),
        "url": forms.CharField(
            label=gettext_lazy("Adress"), required=False, max_length=500, help_text=gettext_lazy("https://…")
        ),
    },
)


def _question_fields() -> dict:
    fields = dict(bilingual_fields("text", gettext_lazy("Fråga"), long=True))
    for slot in range(1, OPTION_SLOTS + 1):
        fields.update(bilingual_fields(f"option_{slot}", format_lazy("{} {}", gettext_lazy("Alternativ"), slot)))
    fields["correct"] = forms.TypedChoiceField(
        label=gettext_lazy("Rätt svar"),
        choices=[
            (str(slot), format_lazy("{} {}", gettext_lazy("Alternativ"), slot)) for slot in range(1, OPTION_SLOTS + 1)
        ],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    fields.update(
        bilingual_fields(
            "explanation",
            gettext_lazy("Förklaring"),
            long=True,
            help_text=gettext_lazy("Visas efter ett försök: varför svaret är rätt (valfri)."),
        )
    )
    return fields


QuestionRowForm = row_form("QuestionRowForm", _question_fields())


class LessonForm(AccessibleForm):
    key = forms.SlugField(label=gettext_lazy("Nyckel"), max_length=60)
    title_sv = forms.CharField(label=gettext_lazy("Titel (svenska)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Titel (engelska)"), max_length=200)
    body_sv = forms.CharField(
        label=gettext_lazy("Innehåll (svenska, Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    body_en = forms.CharField(
        label=gettext_lazy("Innehåll (engelska, Markdown)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    video_url = forms.CharField(
        label=gettext_lazy("Videolänk (valfri)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("En videolektion: filmens adress (https://…). Den behöver en transkription."),
    )
    transcript_sv = forms.CharField(
        label=gettext_lazy("Transkription (svenska)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    transcript_en = forms.CharField(
        label=gettext_lazy("Transkription (engelska)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    pass_mark = forms.IntegerField(
        label=gettext_lazy("Godkäntgräns (antal rätta svar)"), min_value=0, required=False, initial=0
    )
    attachment = forms.FileField(
        label=gettext_lazy("Ny bilaga (PDF, PNG, JPEG eller text, högst 2 MB)"), required=False
    )
    remove_attachments = forms.MultipleChoiceField(
        label=gettext_lazy("Ta bort bilagor"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, lesson: Lesson | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        attachments = list(lesson.attachments.all()) if lesson else []
        if attachments:
            self.fields["remove_attachments"].choices = [(str(a.pk), a.name) for a in attachments]
        else:
            del self.fields["remove_attachments"]

    def field_for(self, service_key: str) -> str:
        return service_key


class LessonEditor:
    """A lesson's form with its links and quiz questions as rows; ``is_valid`` asks the bundle's schemas."""

    def __init__(self, *, lesson: Lesson | None = None, data=None, files=None):
        self.lesson = lesson
        initial = {}
        links, quiz = [], {"pass_mark": 0, "questions": []}
        if lesson:
            fields = (
                "key",
                "title_sv",
                "title_en",
                "body_sv",
                "body_en",
                "video_url",
                "transcript_sv",
                "transcript_en",
            )
            initial = {name: getattr(lesson, name) for name in fields}
            links, quiz = lesson.links or [], lesson.quiz or quiz
            initial["pass_mark"] = quiz.get("pass_mark", 0)
        self.form = LessonForm(data, files, initial=initial, lesson=lesson)
        self.links = Rows(
            LinkRowForm,
            prefix="links",
            heading=gettext_lazy("Länkar"),
            row_label=gettext_lazy("Länk"),
            data=data,
            initial=[
                {"title_sv": link["title"]["sv"], "title_en": link["title"]["en"], "url": link["url"]} for link in links
            ],
        )
        self.questions = Rows(
            QuestionRowForm,
            prefix="questions",
            heading=gettext_lazy("Kunskapstestets frågor"),
            row_label=gettext_lazy("Fråga"),
            help_text=gettext_lazy(
                "Varje fråga med sina svarsalternativ på svenska och engelska; markera rätt svar. Tomma alternativ "
                "räknas inte."
            ),
            data=data,
            initial=[self._question_initial(question) for question in quiz.get("questions", [])],
        )
        self.quiz: dict = {}
        self.link_entries: list = []
        # Per question: the option slot (1…) of each option kept, to put a message at the slot it came from.
        self._slots: list[list[int]] = []

    @property
    def row_lists(self) -> list[Rows]:
        return [self.links, self.questions]

    @staticmethod
    def _question_initial(question: dict) -> dict:
        row = {"text_sv": question["text"]["sv"], "text_en": question["text"]["en"]}
        for slot, option in enumerate(question["options"], start=1):
            row.update({f"option_{slot}_sv": option["sv"], f"option_{slot}_en": option["en"]})
        row["correct"] = question["correct"] + 1
        explanation = question.get("explanation", {})
        row.update({"explanation_sv": explanation.get("sv", ""), "explanation_en": explanation.get("en", "")})
        return row

    def _question_entry(self, index: int, row: dict) -> dict:
        slots = [
            slot for slot in range(1, OPTION_SLOTS + 1) if row.get(f"option_{slot}_sv") or row.get(f"option_{slot}_en")
        ]
        self._slots.append(slots)
        entry = {
            "text": {"sv": row["text_sv"], "en": row["text_en"]},
            "options": [{"sv": row[f"option_{slot}_sv"], "en": row[f"option_{slot}_en"]} for slot in slots],
            "correct": slots.index(row["correct"]) if row["correct"] in slots else 0,
        }
        if row["explanation_sv"] or row["explanation_en"]:
            entry["explanation"] = {"sv": row["explanation_sv"], "en": row["explanation_en"]}
        if row["correct"] not in slots:
            self.questions.add_error(index, "correct", _("Välj rätt svar bland de ifyllda alternativen."))
        return entry

    def _question_error(self, path: tuple, message: str) -> None:
        index, rest = path[0], path[1:]
        if rest[:1] == ("options",) and len(rest) == 1:
            self.questions.add_error(index, None, _("Varje fråga behöver minst två svarsalternativ."))
        elif rest[:1] == ("options",):
            slot = self._slots[index][rest[1]]
            self.questions.add_error(index, f"option_{slot}_{rest[2]}" if len(rest) > 2 else None, message)
        else:
            self.questions.add_error(index, "_".join(str(step) for step in rest) or None, message)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = self.links.is_valid() and valid
        valid = self.questions.is_valid() and valid
        if not valid:
            return False
        cleaned = self.form.cleaned_data
        self.link_entries = [
            {"title": {"sv": row["title_sv"], "en": row["title_en"]}, "url": row["url"].strip()}
            for row in self.links.kept()
        ]
        for (index, *rest), message in schema_errors(LINKS_VALIDATOR, self.link_entries):
            self.links.add_error(index, "_".join(str(step) for step in rest), message)
        self._slots = []
        questions = [self._question_entry(index, row) for index, row in enumerate(self.questions.kept())]
        self.quiz = {"pass_mark": cleaned["pass_mark"] or 0, "questions": questions}
        for path, message in schema_errors(QUIZ_VALIDATOR, self.quiz):
            if path[:1] == ("questions",) and len(path) > 1:
                self._question_error(path[1:], message)
            else:
                self.form.add_error("pass_mark", message)
        if self.quiz["pass_mark"] > len(questions):
            self.form.add_error("pass_mark", _("Godkäntgränsen kan inte vara högre än antalet frågor."))
        self._video_check(cleaned)
        return not self.has_errors

    def _video_check(self, cleaned: dict) -> None:
        url = cleaned["video_url"].strip()
        transcript = {"sv": cleaned["transcript_sv"], "en": cleaned["transcript_en"]}
        if not url:
            if transcript["sv"] or transcript["en"]:
                self.form.add_error("video_url", _("Ange videons adress, eller töm transkriptionen."))
            return
        for path, message in schema_errors(VIDEO_VALIDATOR, {"url": url, "transcript": transcript}):
            self.form.add_error({"url": "video_url"}.get(path[0], "_".join(str(step) for step in path)), message)
        for language in ("sv", "en"):
            if not transcript[language].strip():
                self.form.add_error(
                    f"transcript_{language}",
                    _("En videolektion behöver sin transkription, för den som inte kan se eller höra filmen."),
                )

    def values(self) -> dict:
        """The keywords of ``lesson_save``."""
        cleaned = self.form.cleaned_data
        fields = ("key", "title_sv", "title_en", "body_sv", "body_en", "transcript_sv", "transcript_en")
        return {
            **{name: cleaned[name] for name in fields},
            "video_url": cleaned["video_url"].strip(),
            "links": self.link_entries,
            "quiz": self.quiz,
        }

    def refusal_add(self, error) -> None:
        form_errors_add(self.form, error)

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(rows.forms or rows.formset.non_form_errors() for rows in self.row_lists)
