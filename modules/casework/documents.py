"""The shared font of the documents (plan_documents.py draws the PDFs) and the casework part of a registerutdrag
as JSON."""

from backa_platform.core.pdf import _FONT_FILES, FONT, FONTS, pdf_text  # noqa: F401 - shared by plan_documents and meeting_documents
from modules.casework.selectors import assessments_of, concerns_of, plan_of, release_items
from modules.model_config.models import ModelItem

# DejaVu Sans, embedded (backa_platform/core/pdf.py): every letter of a name prints.
_text = pdf_text


def _names(release, kind) -> dict:
    return {item.key: item.name_sv for item in release_items(release=release, kind=kind)}


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
                    "ended_reason": goal.ended_reason if goal.ended_at else None,
                }
                for goal in plan.goals.all()
            ],
            "actions": [
                {
                    "what": action.what,
                    "responsible_kind": action.responsible_kind,
                    "responsible": action.responsible_name,
                    "due_on": action.due_on.isoformat(),
                    "done": action.done_at is not None,
                    "ended_reason": action.ended_reason if action.ended_at else None,
                }
                for action in plan.actions.select_related("responsible_user", "responsible_unit")
            ],
            "version": plan.version,
            "changes": [
                {"at": change.changed_at.isoformat(), "changes": change.changes, "reason": change.reason}
                for change in plan.changes.all()
            ],
            "follow_ups": [
                {"held_on": f.held_on.isoformat(), "outcomes": f.outcomes, "next_review_on": f.review_after.isoformat()}
                for f in plan.follow_ups.all()
            ],
            "versions": [
                {"number": v.number, "revision_reason": v.revision_reason, "content": v.content}
                for v in plan.versions.all()
            ],
            "agreements": [
                {"name": a.name, "version": a.version, "agreed_on": a.agreed_on.isoformat(), "method": a.method}
                for a in plan.agreements.all()
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
