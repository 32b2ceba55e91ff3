"""Documents for the family and the data subject: Barnets plan as a printable PDF (Swedish, in the wording of
the release the plan was made with) and the casework part of a registerutdrag."""

from django.utils import timezone

from backa_platform.core.pdf import FONT, pdf_document, pdf_text
from modules.casework.selectors import assessments_of, concerns_of, plan_of, release_items, release_scale_levels
from modules.children.selectors import current_support_coordinator
from modules.model_config.models import ModelItem

# DejaVu Sans, embedded (backa_platform/core/pdf.py): every letter of a name prints.
_text = pdf_text


def _names(release, kind) -> dict:
    return {item.key: item.name_sv for item in release_items(release=release, kind=kind)}


def plan_pdf(*, child) -> bytes:
    plan = plan_of(child=child)
    pdf = pdf_document(title=f"Barnets plan - {child.full_name}")
    pdf.add_page()
    width = pdf.epw

    def heading(text, size=14):
        pdf.ln(3)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(width, 8, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)

    def line(text):
        pdf.multi_cell(width, 6, _text(text), new_x="LMARGIN", new_y="NEXT")

    heading(f"Barnets plan för {child.full_name}", 18)
    line(f"Utskriven {timezone.localdate():%Y-%m-%d}.")
    if plan is None:
        line("Barnet har ingen plan ännu.")
        return bytes(pdf.output())
    coordinator = current_support_coordinator(child=child)
    line(f"Stödsamordnare: {coordinator.user.full_name if coordinator else 'ingen'}")
    line(f"Nästa uppföljning: {plan.next_review_on:%Y-%m-%d}")
    areas = _names(plan.release, ModelItem.Kind.AREA)
    heading("Mål")
    for goal in plan.goals.all():
        pdf.set_font(FONT, "B", 11)
        line(f"{areas.get(goal.area_key, goal.area_key)}: {goal.text}")
        pdf.set_font(FONT, "", 11)
        if goal.child_words:
            line(f"Barnets egna ord: {goal.child_words}")
        if goal.guardian_words:
            line(f"Vårdnadshavarnas ord: {goal.guardian_words}")
        if goal.outcome:
            line(f"Utfall: {goal.get_outcome_display()}")
        pdf.ln(2)
    heading("Insatser (vem, vad, när)")
    for action in plan.actions.all():
        status = "klar" if action.done_at else f"senast {action.due_on:%Y-%m-%d}"
        line(f"- {action.responsible}: {action.what} ({status})")
    assessments = list(assessments_of(child=child))
    if assessments:
        latest = assessments[-1]
        heading(f"Behovskompassen {latest.assessed_on:%Y-%m-%d}")
        names = _names(latest.release, ModelItem.Kind.AREA)
        labels = {level["key"]: level["label"]["sv"] for level in release_scale_levels(release=latest.release)}
        for rating in latest.ratings.all():
            line(f"{names.get(rating.area_key, rating.area_key)}: {labels.get(rating.level_key, rating.level_key)}")
    pdf.ln(4)
    pdf.set_font(FONT, "I", 9)
    line(f"Planen följer Backa barnets modell, release {plan.release.version}.")
    return bytes(pdf.output())


def casework_export(*, child) -> dict:
    """The process part of a registerutdrag: everything recorded about the child, in the release wording."""
    plan = plan_of(child=child)
    closure = getattr(child, "closure", None)
    return {
        "concerns": [
            {
                "raised_at": concern.raised_at.isoformat(),
                "raised_by": concern.raised_by.full_name,
                "description": concern.description,
                "area_keys": concern.area_keys,
                "urgency": concern.urgency,
                "guardians_informed": concern.guardians_informed,
                "acknowledged_at": concern.acknowledged_at.isoformat() if concern.acknowledged_at else None,
            }
            for concern in concerns_of(child=child)
        ],
        "assessments": [
            {
                "assessed_on": assessment.assessed_on.isoformat(),
                "release_version": assessment.release.version,
                "participants": assessment.participants,
                "perspectives": assessment.perspective_keys,
                "support_level": _names(assessment.release, ModelItem.Kind.SUPPORT_LEVEL).get(
                    assessment.support_level_key, assessment.support_level_key
                ),
                "support_level_reason": assessment.support_level_reason,
                "ratings": [
                    {
                        "area": _names(assessment.release, ModelItem.Kind.AREA).get(rating.area_key, rating.area_key),
                        "level": rating.level_key,
                        "description": rating.description,
                    }
                    for rating in assessment.ratings.all()
                ],
            }
            for assessment in assessments_of(child=child)
        ],
        "plan": None
        if plan is None
        else {
            "release_version": plan.release.version,
            "next_review_on": plan.next_review_on.isoformat(),
            "goals": [
                {
                    "area_key": goal.area_key,
                    "text": goal.text,
                    "child_words": goal.child_words,
                    "guardian_words": goal.guardian_words,
                    "outcome": goal.outcome,
                }
                for goal in plan.goals.all()
            ],
            "actions": [
                {
                    "what": action.what,
                    "responsible": action.responsible,
                    "due_on": action.due_on.isoformat(),
                    "done": action.done_at is not None,
                }
                for action in plan.actions.all()
            ],
        },
        "meetings": [
            {
                "starts_at": meeting.starts_at.isoformat(),
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
                "decisions": [decision.text for decision in meeting.decisions.all()],
            }
            for meeting in child.meetings.all()
        ],
        "closure": None if closure is None else {"closed_at": closure.closed_at.isoformat(), "reason": closure.reason},
    }
