from django.db.models import QuerySet
from django.utils import timezone

from modules.consent.models import Consent


def consents_of(*, child) -> QuerySet[Consent]:
    return child.consents.select_related("given_by_guardian", "recorded_by").prefetch_related("organisations")


def consent_covering(*, child, organisation) -> Consent | None:
    """A consent valid today for ``child`` that covers ``organisation``, the one running longest."""
    today = timezone.localdate()
    return (
        Consent.objects.filter(
            child=child,
            organisations=organisation,
            withdrawn_at__isnull=True,
            given_on__lte=today,
            valid_until__gte=today,
        )
        .order_by("-valid_until", "-pk")
        .first()
    )


def consents_expired_unhandled() -> QuerySet[Consent]:
    return Consent.objects.filter(
        withdrawn_at__isnull=True, expiry_handled_at__isnull=True, valid_until__lt=timezone.localdate()
    )
