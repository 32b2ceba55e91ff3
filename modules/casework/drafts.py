"""An assessment written step by step is kept as the author's draft: the form's values as posted so far (one
draft per child and author). Saving the assessment removes it (``services.assessment_make``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from modules.accounts.models import User
from modules.audit.services import audit_record
from modules.casework.models import AssessmentDraft
from modules.casework.services import CaseworkError, _require_open
from modules.children.models import Child

# A draft holds what the form's fields hold, no more: each field a few values of bounded length.
DRAFT_MAX_FIELDS = 400
DRAFT_MAX_VALUES = 20
DRAFT_MAX_LENGTH = 10_000


def assessment_draft_of(*, child: Child, user: User) -> AssessmentDraft | None:
    return AssessmentDraft.objects.filter(child=child, made_by=user).first()


@transaction.atomic
def assessment_draft_save(*, child: Child, acting_user: User, values: dict, step: int = 0, request=None):
    """Keep ``values`` ({field: [value, …]}) as the author's draft, replacing what it held for those fields."""
    _require_open(child)
    if (
        len(values) > DRAFT_MAX_FIELDS
        or step < 0
        or any(
            not isinstance(name, str)
            or not isinstance(value, list)
            or len(value) > DRAFT_MAX_VALUES
            or any(not isinstance(item, str) or len(item) > DRAFT_MAX_LENGTH for item in value)
            for name, value in values.items()
        )
    ):
        raise CaseworkError({"values": _("Utkastet innehåller mer än formuläret rymmer.")})
    draft, created = AssessmentDraft.objects.select_for_update().get_or_create(
        child=child, made_by=acting_user, defaults={"values": values, "step": step}
    )
    if not created:
        draft.values = {**draft.values, **values}
        draft.step = step
        draft.save(update_fields=["values", "step", "updated_at"])
    audit_record(
        acting_user=acting_user, action="create" if created else "update", child=child, obj=draft, request=request
    )
    return draft


@transaction.atomic
def assessment_draft_discard(*, child: Child, acting_user: User, request=None) -> None:
    deleted, _rows = AssessmentDraft.objects.filter(child=child, made_by=acting_user).delete()
    if deleted:
        audit_record(
            acting_user=acting_user,
            action="update",
            child=child,
            object_type="casework.assessmentdraft",
            request=request,
        )
