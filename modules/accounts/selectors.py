from django.db.models import QuerySet

from modules.accounts.models import User


def users_of_site() -> QuerySet[User]:
    """The accounts in the active schema: a tenant's staff, or in public the national users."""
    return User.objects.order_by("full_name", "email")
