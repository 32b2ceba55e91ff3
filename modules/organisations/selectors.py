from django.db.models import QuerySet

from modules.organisations.models import Organisation, Unit


def organisations_list() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related("units").order_by("name")


def units_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("organisation").order_by("organisation__name", "name")


def organisations_checklist_facts() -> tuple[str, str]:
    """The onboarding checklist's "organisations and units set up" item, for the active tenant schema."""
    organisations, units = Organisation.objects.count(), Unit.objects.count()
    note = f"{organisations} organisationer, {units} enheter."
    if organisations and units:
        return "done", note
    return ("in_progress" if organisations else "todo"), note
