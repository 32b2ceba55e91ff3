from django.db import connection
from django.db.models import QuerySet

from backa_platform.db import model_columns, model_from_row
from modules.accounts.models import User


def users_of_site() -> QuerySet[User]:
    """The accounts in the active schema: a tenant's staff, or in public the national users."""
    return User.objects.order_by("full_name", "email")


def api_token_user(*, key: str) -> User | None:
    """The account an API token belongs to (one statement, on every API call: written in SQL), or None."""
    from modules.accounts.services import token_hash

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {model_columns(User, 'account')} FROM accounts_apitoken token"  # noqa: S608 - model's columns
            " JOIN accounts_user account ON account.id = token.user_id WHERE token.key_hash = %s",
            [token_hash(key)],
        )
        row = cursor.fetchone()
    return model_from_row(User, row) if row else None


def staff_of_site() -> QuerySet[User]:
    return User.objects.select_related("unit__organisation").order_by("full_name", "email")
