from django.db.models import QuerySet

from modules.organisations.models import Organisation, Unit


def organisations_list() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related("units").order_by("name")


def units_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("organisation").order_by("organisation__name", "name")
