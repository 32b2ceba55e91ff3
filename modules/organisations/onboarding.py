"""The onboarding checklist's "organisations and units set up" item."""

from modules.organisations.models import Organisation, Unit


def organisations_checklist_state(*, tenant) -> tuple[str, str]:
    organisations, units = Organisation.objects.count(), Unit.objects.count()
    note = f"{organisations} organisationer, {units} enheter."
    if organisations and units:
        return "done", note
    return ("in_progress" if organisations else "todo"), note
