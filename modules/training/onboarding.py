"""The onboarding checklist's "training completed" item, from the staff's own progress."""

from modules.training.selectors import completion_by_role, courses_available


def training_checklist_state(*, tenant) -> tuple[str, str] | None:
    if not courses_available().filter(required=True).exists():
        return None  # nothing required is installed yet: the item is set by hand
    figures = [row for row in completion_by_role() if row["staff"]]
    staff = sum(row["staff"] for row in figures)
    completed = sum(row["completed"] for row in figures)
    if not staff:
        return "todo", "Ingen personal att utbilda ännu."
    note = f"{completed} av {staff} medarbetare har genomgått de obligatoriska kurserna."
    if completed == staff:
        return "done", note
    return ("in_progress" if completed else "todo"), note
