"""Reminders of required training: staff who have not completed what their role requires are mailed, in their
own language, at most once every TRAINING_REMINDER_INTERVAL_DAYS (``TrainingReminder`` keeps the last date)."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.accounts.mail import in_language_of
from modules.accounts.services import site_url
from modules.training.completion import staff_missing_required_training
from modules.training.models import TrainingReminder


@transaction.atomic
def training_reminders_send(*, today=None) -> int:
    """Mail everyone due a reminder in the active tenant schema; returns how many were mailed."""
    today = today or timezone.localdate()
    due_after = today - timedelta(days=settings.TRAINING_REMINDER_INTERVAL_DAYS)
    last_sent = dict(TrainingReminder.objects.values_list("user_id", "last_sent_on"))
    link, messages, reminded = f"{site_url()}/training/", [], []
    for user, courses in staff_missing_required_training():
        if user.pk in last_sent and last_sent[user.pk] > due_after:
            continue
        with in_language_of(user):
            messages.append(
                EmailMessage(
                    subject=_("Påminnelse: obligatorisk utbildning i Backa barnet"),
                    body=_(
                        "Hej!\n\nDin roll kräver de här kurserna, som du inte har slutfört ännu:\n\n%(courses)s\n\n"
                        "Du hittar dem här:\n\n%(link)s\n"
                    )
                    % {"courses": "\n".join(f"- {course.title}" for course in courses), "link": link},
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
            )
        reminded.append(TrainingReminder(user=user, last_sent_on=today))
    TrainingReminder.objects.bulk_create(
        reminded, update_conflicts=True, unique_fields=["user"], update_fields=["last_sent_on"]
    )
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
