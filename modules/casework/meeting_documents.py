"""A meeting's printable documents: the kallelse letter for guardians (Swedish or English, the reader's choice)
and the minutes. Drawn with the embedded DejaVu font as Barnets plan is, so every letter of a name prints."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from modules.casework.documents import _FONT_FILES, FONT, FONTS, _text
from modules.casework.models import Meeting, MeetingGuest
from modules.children.selectors import current_child_contact

LANGUAGES = ("sv", "en")


class _Document:
    def __init__(self, *, title: str, language: str):
        self.pdf = FPDF(format="A4")
        for style, filename in _FONT_FILES.items():
            self.pdf.add_font(FONT, style, FONTS / filename)
        self.pdf.set_title(_text(title))
        self.pdf.set_lang(language)
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        self.heading(title, 18)

    def heading(self, text, size=13):
        self.pdf.ln(3)
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(self.pdf.epw, 8, _text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FONT, "", 11)

    def line(self, text):
        self.pdf.multi_cell(self.pdf.epw, 6, _text(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _time(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = f"–{timezone.localtime(meeting.ends_at):%H:%M}" if meeting.ends_at else ""
    return f"{start:%Y-%m-%d %H:%M}{end}"


def _guest_role(guest: MeetingGuest) -> str:
    return guest.role or guest.get_kind_display()


def _people(meeting: Meeting, *, attended=None) -> list[str]:
    """Everyone called (or, with ``attended``, those who came or not): staff and guests, each with a role."""
    people = []
    for participant in meeting.participants.select_related("user").order_by("user__full_name"):
        if attended is None or participant.attended is attended:
            people.append(f"{participant.user.full_name} ({_('barnteamet')})")
    for guest in meeting.guests.all():
        if attended is None or guest.attended is attended:
            people.append(f"{guest.name} ({_guest_role(guest)})")
    return people


def kallelse_pdf(*, meeting: Meeting, language: str = "sv") -> bytes:
    """The letter to the child's guardians: when, where, who takes part, the agenda and whom to call."""
    language = language if language in LANGUAGES else "sv"
    child = meeting.child
    with translation.override(language):
        document = _Document(title=_("Kallelse till möte om %(name)s") % {"name": child.full_name}, language=language)
        guardians = [guest.name for guest in meeting.guests.filter(kind=MeetingGuest.Kind.GUARDIAN)]
        if guardians:
            document.line(_("Till: %(names)s") % {"names": ", ".join(guardians)})
        document.line(_("Välkommen till ett möte om %(name)s med barnets barnteam.") % {"name": child.given_name})
        if meeting.cancelled_at:
            document.heading(_("Mötet är inställt"))
        document.heading(_("När och var"))
        document.line(_("Tid: %(time)s") % {"time": _time(meeting)})
        if meeting.place:
            document.line(_("Plats: %(place)s") % {"place": meeting.place})
        if meeting.video_link:
            document.line(_("Videomöte: %(link)s") % {"link": meeting.video_link})
        document.heading(_("Vilka deltar"))
        for person in _people(meeting):
            document.line(f"- {person}")
        document.heading(_("Dagordning"))
        document.line(meeting.agenda)
        contact = current_child_contact(child=child)
        if contact is not None:
            document.heading(_("Frågor eller förhinder"))
            reach = contact.user.email
            document.line(
                _("Kontakta barnets barnkontakt %(name)s (%(reach)s).")
                % {"name": contact.user.full_name, "reach": reach}
            )
        return document.output()


def minutes_pdf(*, meeting: Meeting, language: str = "sv") -> bytes:
    """The minutes of a held meeting: who came, the agenda, the notes and each decision with who and by when."""
    language = language if language in LANGUAGES else "sv"
    with translation.override(language):
        document = _Document(
            title=_("Anteckningar från barnteamsmöte om %(name)s") % {"name": meeting.child.full_name},
            language=language,
        )
        document.line(_("Tid: %(time)s") % {"time": _time(meeting)})
        if meeting.place:
            document.line(_("Plats: %(place)s") % {"place": meeting.place})
        if meeting.attendance_recorded_at:
            document.heading(_("Närvarande"))
            for person in _people(meeting, attended=True) or ["–"]:
                document.line(f"- {person}")
            absent = _people(meeting, attended=False)
            if absent:
                document.heading(_("Frånvarande"))
                for person in absent:
                    document.line(f"- {person}")
        document.heading(_("Dagordning"))
        document.line(meeting.agenda)
        document.heading(_("Anteckningar"))
        document.line(meeting.minutes or _("Mötet är inte protokollfört ännu."))
        decisions = list(meeting.decisions.select_related("action"))
        if decisions:
            document.heading(_("Beslut (insatser i Barnets plan)"))
            for decision in decisions:
                if decision.action is not None:
                    document.line(
                        _("- %(text)s. Ansvarig: %(responsible)s, senast %(due)s.")
                        % {
                            "text": decision.text,
                            "responsible": decision.action.responsible_name,
                            "due": f"{decision.action.due_on:%Y-%m-%d}",
                        }
                    )
                else:
                    document.line(f"- {decision.text}")
        return document.output()
