"""Documents for the family and the data subject, in the reader's language (Swedish or English), with a
Unicode font (DejaVu, embedded): Barnets plan (municipality name and logo, contacts with phone numbers, goals
with the child's and guardians' words, actions with status, the compass chart, the agreement) and the
registerutdrag (GDPR art. 15: everything recorded about the child) as a readable PDF."""

import io
import math

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from modules.casework.documents import FONT, _text
from modules.casework.documents import FONTS as FONT_DIR
from modules.casework.models import DocumentSetting, Goal, PlanAgreement
from modules.casework.plan_selectors import (
    ACTION_STATUS_LABELS,
    action_status,
    agreement_state,
)
from modules.casework.selectors import (
    assessments_of,
    compass_over_time,
    concerns_of,
    plan_of,
    release_items,
    release_scale_levels,
)
from modules.children.selectors import current_child_contact, current_support_coordinator, team_of
from modules.model_config.models import ModelItem

_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
# One colour and dash per assessment drawn (the last three), as on the page's chart.
SERIES_STYLES = [((0, 90, 156), 0), ((179, 88, 6), 2), ((27, 120, 55), 1)]


class _Document:
    """An A4 document with headings and lines of text, in the DejaVu font."""

    def __init__(self, *, title: str, language: str):
        self.pdf = FPDF(format="A4")
        for style, filename in _FONT_FILES.items():
            self.pdf.add_font(FONT, style, FONT_DIR / filename)
        self.pdf.set_title(_text(title))
        self.pdf.set_lang(language)
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        self.pdf.set_font(FONT, "", 11)
        self.width = self.pdf.epw

    def letterhead(self) -> None:
        """The municipality's logo and name (the instance's setting; its name without one)."""
        setting = DocumentSetting.objects.first()
        name = setting.municipality_name if setting else getattr(connection.tenant, "name", "")
        top = self.pdf.get_y()
        if setting and setting.logo_png:
            self.pdf.image(io.BytesIO(bytes(setting.logo_png)), x=self.pdf.l_margin, y=top, h=16)
            self.pdf.set_xy(self.pdf.l_margin + 40, top + 2)
        self.pdf.set_font(FONT, "B", 12)
        self.pdf.cell(0, 6, _text(name), new_x="LMARGIN", new_y="NEXT")
        if setting and setting.phone:
            self.pdf.set_x(self.pdf.l_margin + (40 if setting.logo_png else 0))
            self.pdf.set_font(FONT, "", 10)
            self.pdf.cell(
                0, 5, _text(_("Telefon: %(phone)s") % {"phone": setting.phone}), new_x="LMARGIN", new_y="NEXT"
            )
        self.pdf.set_y(max(self.pdf.get_y(), top + (18 if setting and setting.logo_png else 0)))
        self.pdf.set_font(FONT, "", 11)

    def heading(self, text, size=14) -> None:
        self.pdf.ln(3)
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(self.width, 8, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FONT, "", 11)

    def line(self, text, style="") -> None:
        self.pdf.set_font(FONT, style, 11)
        self.pdf.multi_cell(self.width, 6, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FONT, "", 11)

    def table(self, headings: list[str], rows: list[list[str]], widths: tuple) -> None:
        self.pdf.set_font(FONT, "", 10)
        with self.pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            header = table.row()
            for text in headings:
                header.cell(_text(text))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(_text(value))
        self.pdf.set_font(FONT, "", 11)

    def small(self, text) -> None:
        self.pdf.ln(4)
        self.pdf.set_font(FONT, "I", 9)
        self.pdf.multi_cell(self.width, 5, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FONT, "", 11)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "–"


def _contacts(doc: _Document, child) -> None:
    """Who takes part, and how to reach them: the guardians with their phone numbers, the Barnkontakt, the
    Stödsamordnare and the Barnteam with their unit and e-mail."""
    doc.heading(_("Deltagare och kontakter"))
    rows = []
    for guardian in child.guardians.order_by("pk"):
        relation = guardian.relation or _("vårdnadshavare")
        rows.append([guardian.name, relation, guardian.phone or "–"])
    staff = []
    contact = current_child_contact(child=child)
    if contact:
        staff.append((contact.user, _("Barnkontakt")))
    coordinator = current_support_coordinator(child=child)
    if coordinator:
        staff.append((coordinator.user, _("Stödsamordnare")))
    staff += [(member.user, member.team_role) for member in team_of(child=child).filter(ended_at__isnull=True)]
    for user, role in staff:
        where = f"{role}, {user.unit.name}" if user.unit_id else role
        rows.append([user.full_name, where, user.phone or user.email])
    doc.table([_("Namn"), _("Roll"), _("Telefon eller e-post")], rows, (35, 40, 25))


def _compass_chart(doc: _Document, child) -> None:
    """Behovskompassen as a radar chart (one polygon per assessment, the latest three) and a table."""
    compass = compass_over_time(child=child)
    if compass is None or len(compass.areas) < 3:
        return
    pdf = doc.pdf
    doc.heading(_("Behovskompassen"))
    if pdf.get_y() > pdf.h - 110:
        pdf.add_page()
    size = 70
    cx, cy = pdf.l_margin + doc.width / 2, pdf.get_y() + size / 2 + 12
    count = len(compass.areas)

    def point(index, fraction):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        radius = size / 2 * fraction
        return cx + radius * math.cos(angle), cy + radius * math.sin(angle)

    pdf.set_draw_color(180, 180, 180)
    pdf.set_line_width(0.2)
    for level in range(1, compass.max_value + 1):
        pdf.polygon([point(i, level / compass.max_value) for i in range(count)], style="D")
    pdf.set_font(FONT, "", 8)
    for index, (_key, name) in enumerate(compass.areas):
        x, y = point(index, 1)
        pdf.line(cx, cy, x, y)
        lx, ly = point(index, 1.18)
        label = _text(name)
        width = pdf.get_string_width(label)
        anchor = lx - width / 2 if abs(lx - cx) < 3 else (lx if lx > cx else lx - width)
        pdf.text(anchor, ly + 1.5, label)
    shown = compass.series[-len(SERIES_STYLES) :]
    pdf.set_line_width(0.6)
    for series, (colour, dash) in zip(shown, SERIES_STYLES, strict=False):
        pdf.set_draw_color(*colour)
        pdf.set_dash_pattern(dash=dash * 1.5, gap=dash * 1.2)
        points = [point(i, series.values.get(key, 0) / compass.max_value) for i, (key, _n) in enumerate(compass.areas)]
        pdf.polygon(points, style="D")
    pdf.set_dash_pattern()
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(cy + size / 2 + 12)
    pdf.set_font(FONT, "", 9)
    for series, (colour, _dash) in zip(shown, SERIES_STYLES, strict=False):
        pdf.set_text_color(*colour)
        pdf.cell(0, 5, _text(f"— {series.label}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    doc.line(_("Närmare mitten går det bättre (1 = bäst)."), "I")
    latest = assessments_of(child=child).last()
    labels = {
        level["key"]: level["label"].get(translation.get_language(), level["label"]["sv"])
        for level in release_scale_levels(release=latest.release)
    }
    names = {item.key: item.name for item in release_items(release=latest.release, kind=ModelItem.Kind.AREA)}
    rows = [
        [names.get(r.area_key, r.area_key), labels.get(r.level_key, r.level_key), r.description]
        for r in latest.ratings.all()
    ]
    doc.table([_("Område"), _("Skattning"), _("Beskrivning")], rows, (30, 25, 45))


def plan_pdf(*, child, language: str = "sv") -> bytes:
    """Barnets plan for the family, in ``language`` (sv or en)."""
    with translation.override(language):
        return _plan_pdf(child, language)


def _plan_pdf(child, language) -> bytes:
    plan = plan_of(child=child)
    doc = _Document(title=_("Barnets plan - %(name)s") % {"name": child.full_name}, language=language)
    doc.letterhead()
    doc.heading(_("Barnets plan för %(name)s") % {"name": child.full_name}, 18)
    doc.line(_("Utskriven %(date)s.") % {"date": _date(timezone.localdate())})
    if plan is None:
        doc.line(_("Barnet har ingen plan ännu."))
        return doc.output()
    state = agreement_state(plan=plan)
    doc.line(
        _("Version %(version)s. Nästa uppföljning: %(date)s.")
        % {"version": plan.version, "date": _date(plan.next_review_on)}
    )
    _contacts(doc, child)

    areas = {item.key: item.name for item in release_items(release=plan.release, kind=ModelItem.Kind.AREA)}
    doc.heading(_("Mål"))
    goals = list(plan.goals.all())
    for goal in [goal for goal in goals if goal.ended_at is None]:
        doc.line(f"{areas.get(goal.area_key, goal.area_key)}: {goal.text}", "B")
        if goal.child_words:
            doc.line(_("Barnets egna ord: %(words)s") % {"words": goal.child_words})
        if goal.guardian_words:
            doc.line(_("Vårdnadshavarnas ord: %(words)s") % {"words": goal.guardian_words})
        if goal.outcome:
            doc.line(_("Utfall vid senaste uppföljningen: %(outcome)s") % {"outcome": goal.get_outcome_display()})
        doc.pdf.ln(2)
    ended = [goal for goal in goals if goal.ended_at is not None]
    if ended:
        doc.line(_("Avslutade mål:"), "I")
        for goal in ended:
            doc.line(f"– {goal.text} ({goal.ended_reason})")

    doc.heading(_("Insatser"))
    rows = []
    for action in plan.actions.select_related("responsible_user", "responsible_unit"):
        status = action_status(action)
        rows.append([action.what, action.responsible_name, _date(action.due_on), str(ACTION_STATUS_LABELS[status])])
    doc.table([_("Vad"), _("Vem"), _("Senast"), _("Status")], rows, (45, 25, 15, 15))

    _compass_chart(doc, child)

    doc.heading(_("Godkännande"))
    doc.line(state.label, "B")
    methods = dict(PlanAgreement.Method.choices)
    for agreement in state.valid:
        doc.line(
            _("%(name)s godkände planen %(date)s (%(method)s).")
            % {
                "name": agreement.name,
                "date": _date(agreement.agreed_on),
                "method": str(methods[agreement.method]).lower(),
            }
        )
    if state.missing:
        doc.line(_("Godkännande saknas från: %(names)s") % {"names": ", ".join(state.missing)})
    doc.small(_("Planen följer Backa barnets modell, release %(version)s.") % {"version": plan.release.version})
    return doc.output()


def register_extract_pdf(*, child, language: str = "sv") -> bytes:
    """Registerutdrag (GDPR art. 15): everything recorded about the child, readable, in ``language``."""
    with translation.override(language):
        return _register_extract_pdf(child, language)


def _register_extract_pdf(child, language) -> bytes:
    from modules.chronology.selectors import chronology_of
    from modules.consent.selectors import consents_of

    doc = _Document(title=_("Registerutdrag - %(name)s") % {"name": child.full_name}, language=language)
    doc.letterhead()
    doc.heading(_("Registerutdrag för %(name)s") % {"name": child.full_name}, 18)
    doc.line(
        _(
            "Allt som finns registrerat om barnet i Backa barnet, utskrivet %(date)s "
            "(dataskyddsförordningen artikel 15)."
        )
        % {"date": _date(timezone.localdate())}
    )
    doc.heading(_("Barnet"))
    doc.line(_("Namn: %(name)s") % {"name": child.full_name})
    doc.line(_("Personnummer: %(number)s") % {"number": child.personnummer_masked})
    doc.line(_("Födelsedatum: %(date)s") % {"date": _date(child.birth_date)})
    units = ", ".join(unit.name for unit in child.units.order_by("name"))
    doc.line(_("Enheter: %(units)s") % {"units": units or "–"})
    _contacts(doc, child)

    doc.heading(_("Samtycken"))
    rows = [
        [
            consent.purpose,
            ", ".join(org.name for org in consent.organisations.all()),
            f"{_date(consent.given_on)} – {_date(consent.valid_until)}",
            _("återkallat %(date)s") % {"date": _date(consent.withdrawn_at)} if consent.withdrawn_at else _("gäller"),
        ]
        for consent in consents_of(child=child)
    ]
    doc.table(
        [_("Syfte"), _("Organisationer"), _("Period"), _("Status")], rows or [["–", "", "", ""]], (35, 30, 22, 13)
    )

    doc.heading(_("Uppmärksammad oro"))
    for concern in concerns_of(child=child):
        doc.line(f"{_date(concern.raised_at)}, {concern.raised_by.full_name}: {concern.description}")

    doc.heading(_("Bedömningar med Behovskompassen"))
    for assessment in assessments_of(child=child):
        names = {item.key: item.name for item in release_items(release=assessment.release, kind=ModelItem.Kind.AREA)}
        doc.line(
            _("Bedömning %(date)s (deltog: %(who)s)")
            % {"date": _date(assessment.assessed_on), "who": assessment.participants},
            "B",
        )
        for rating in assessment.ratings.all():
            text = f"{names.get(rating.area_key, rating.area_key)}: {rating.level_key}"
            doc.line(f"{text}. {rating.description}" if rating.description else text)

    plan = plan_of(child=child)
    if plan is not None:
        doc.heading(_("Barnets plan"))
        areas = {item.key: item.name for item in release_items(release=plan.release, kind=ModelItem.Kind.AREA)}
        outcomes = dict(Goal.Outcome.choices)
        for goal in plan.goals.all():
            extra = (
                _("avslutat: %(reason)s") % {"reason": goal.ended_reason}
                if goal.ended_at
                else outcomes.get(goal.outcome, "")
            )
            doc.line(f"{areas.get(goal.area_key, goal.area_key)}: {goal.text}" + (f" ({extra})" if extra else ""))
        for action in plan.actions.select_related("responsible_user", "responsible_unit"):
            status = ACTION_STATUS_LABELS[action_status(action)]
            doc.line(f"– {action.what}, {action.responsible_name}, {_date(action.due_on)} ({status})")
        for follow_up in plan.follow_ups.all():
            doc.line(
                _("Uppföljning %(date)s, nästa %(next)s.")
                % {"date": _date(follow_up.held_on), "next": _date(follow_up.review_after)}
            )
        for version in plan.versions.all():
            doc.line(
                _("Version %(number)s ersattes %(date)s: %(reason)s")
                % {"number": version.number, "date": _date(version.superseded_at), "reason": version.revision_reason}
            )
        for agreement in plan.agreements.all():
            doc.line(
                _("%(name)s godkände version %(version)s %(date)s.")
                % {"name": agreement.name, "version": agreement.version, "date": _date(agreement.agreed_on)}
            )

    doc.heading(_("Barnteamsmöten"))
    for meeting in child.meetings.all():
        doc.line(f"{_date(meeting.starts_at)}: {meeting.agenda}")
        if meeting.minutes:
            doc.line(meeting.minutes, "I")

    doc.heading(_("Händelser"))
    rows = [
        [_date(event.at), event.get_kind_display(), event.detail, event.actor.full_name if event.actor else ""]
        for event in chronology_of(child=child)
    ]
    doc.table([_("Datum"), _("Händelse"), _("Vad"), _("Vem")], rows or [["–", "", "", ""]], (15, 25, 42, 18))
    closure = getattr(child, "closure", None)
    if closure is not None:
        doc.line(
            _("Ärendet avslutades %(date)s: %(reason)s") % {"date": _date(closure.closed_at), "reason": closure.reason}
        )
    return doc.output()
