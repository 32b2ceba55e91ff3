from celery import shared_task

from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_send, password_reset_send


@shared_task
def send_invitation(*, invitation_id: int) -> None:
    invitation = Invitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).first()
    if invitation is not None:
        invitation_send(invitation=invitation)


# Late acknowledgement: a worker killed mid-import hands the task back; creating runs once (the import's status)
# and each batch of mails is marked in the transaction that sends it, so a rerun sends only what is left.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_staff_import(*, staff_import_id: int) -> None:
    from modules.accounts.services import staff_import_run

    staff_import_run(staff_import_id=staff_import_id)


@shared_task
def send_password_reset(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        password_reset_send(user=user)
