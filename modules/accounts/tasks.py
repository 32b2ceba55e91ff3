from celery import shared_task

from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_send, password_reset_send


@shared_task
def send_invitation(*, invitation_id: int) -> None:
    invitation = Invitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).first()
    if invitation is not None:
        invitation_send(invitation=invitation)


@shared_task
def send_password_reset(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        password_reset_send(user=user)
