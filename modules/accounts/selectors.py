from datetime import datetime
from typing import NamedTuple

from django.db.models import QuerySet

from backa_platform.core.db import model_columns, model_from_row, row_prepared
from modules.accounts.models import ApiToken, StaffChange, StaffImport, User


def users_of_site() -> QuerySet[User]:
    """The accounts in the active schema: a tenant's staff, or in public the national users."""
    return User.objects.order_by("full_name", "email")


class TokenHolder(NamedTuple):
    user: User
    expires_at: datetime


def api_token_holder(*, key: str) -> TokenHolder | None:
    """The account an API token belongs to and when the token expires (one statement, on every API call:
    written in SQL), or None for a key that was never issued."""
    from modules.accounts.services import token_hash

    row = row_prepared(
        f"SELECT {model_columns(User, 'account')}, token.created_at FROM accounts_apitoken token"  # noqa: S608 - model's columns
        " JOIN accounts_user account ON account.id = token.user_id WHERE token.key_hash = %s",
        [token_hash(key)],
    )
    return TokenHolder(model_from_row(User, row), ApiToken.expiry_of(row[-1])) if row else None


def staff_of_site() -> QuerySet[User]:
    return User.objects.select_related("unit__organisation").order_by("full_name", "email")


def staff_changes_of(user: User) -> QuerySet[StaffChange]:
    return StaffChange.objects.filter(user=user).select_related("changed_by", "old_unit", "new_unit")


def staff_imports_recent(limit: int = 20) -> QuerySet[StaffImport]:
    return StaffImport.objects.defer("data").select_related("created_by").order_by("-created_at", "-pk")[:limit]


def staff_import_progress(staff_import: StaffImport) -> dict:
    """What the import page polls: counts only, no one's name or address."""
    staff_import.refresh_from_db(
        fields=["status", "invitations_total", "invitations_sent", "units_created", "organisations_created"]
    )
    return {
        "status": staff_import.status,
        "status_label": str(staff_import.get_status_display()),
        "organisations_created": staff_import.organisations_created,
        "units_created": staff_import.units_created,
        "invitations_total": staff_import.invitations_total,
        "invitations_sent": staff_import.invitations_sent,
        "percent": staff_import.percent,
        "finished": staff_import.status == StaffImport.Status.DONE,
    }
