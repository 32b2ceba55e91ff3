from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from api.permissions import MayAdministerAccounts
from modules.accounts.models import User
from modules.accounts.selectors import users_of_site


class CurrentUserSerializer(serializers.Serializer):
    # Plain fields, not ModelSerializer: it rebuilds its fields from the model on every request.
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=User.Role.choices, read_only=True)


class CurrentUser(RetrieveAPIView):
    """The signed-in user on this site."""

    serializer_class = CurrentUserSerializer

    def get_object(self):
        return self.request.user


class UserList(ListAPIView):
    """The accounts of this site (this tenant's schema only)."""

    serializer_class = CurrentUserSerializer
    permission_classes = [MayAdministerAccounts]

    def get_queryset(self):
        return users_of_site()
