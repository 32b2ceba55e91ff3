from celery import shared_task


@shared_task
def send_training_reminders() -> int:
    """In one tenant: remind staff of required training not completed (sent by the daily fan-out)."""
    from modules.training.reminders import training_reminders_send

    return training_reminders_send()
