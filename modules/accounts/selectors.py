from django.db.models import QuerySet

from modules.accounts.models import User


def users_of_site() -> QuerySet[User]:
    """The accounts in the active schema: a tenant's staff, or in public the national users."""
    return User.objects.order_by("full_name", "email")


def api_token_user(*, key: str) -> User | None:
    """The account an API token belongs to (one query), or None."""
    from modules.accounts.models import ApiToken
    from modules.accounts.services import token_hash

    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
    return token.user if token else None


def staff_of_site() -> QuerySet[User]:
    return User.objects.select_related("unit__organisation").order_by("full_name", "email")
