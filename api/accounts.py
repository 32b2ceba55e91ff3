from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from modules.accounts.models import User


class CurrentUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role"]


class CurrentUser(RetrieveAPIView):
    """The signed-in user on this site."""

    serializer_class = CurrentUserSerializer

    def get_object(self):
        return self.request.user
