"""Notifications and the daily work of the process. Tasks carry ids only; the per-tenant tasks run in the
tenant's schema (tenant-schemas-celery), sent by a fan-out that beat runs in public."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.accounts.mail import in_language_of
from modules.accounts.services import site_url
from modules.casework.models import Action
from modules.casework.selectors import actions_overdue, plans_review_due
from modules.children.models import Concern
from modules.children.selectors import current_child_contact, current_support_coordinator


@shared_task
def notify_concern_raised(*, concern_id: int) -> None:
    """Tell the Barnkontakt (or the unit's) that a concern waits for them. The mail names no child."""
    concern = Concern.objects.select_related("routed_to").filter(pk=concern_id).first()
    if concern is None or concern.routed_to is None or concern.acknowledged_at is not None:
        return
    with in_language_of(concern.routed_to):
        send_mail(
            subject=_("En oro om ett barn väntar på din kvittens"),
            message=_(
                "Hej!\n\nNågon har uppmärksammat en oro om ett barn där du är barnkontakt eller mottagare. "
                "Läs och kvittera den här:\n\n%(link)s\n"
            )
            % {"link": f"{site_url()}/barn/{concern.child_id}/process/"},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[concern.routed_to.email],
        )


def _remind(user, subject, child_id) -> None:
    """`subject` is lazy: it is translated here, in the recipient's language."""
    if user is None or not user.is_active:
        return
    with in_language_of(user):
        subject = str(subject)
        send_mail(
            subject=subject,
            message=_("Hej!\n\n%(subject)s. Se barnets plan här:\n\n%(link)s\n")
            % {"subject": subject, "link": f"{site_url()}/barn/{child_id}/process/"},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )


@shared_task
def send_reminders() -> int:
    """In one tenant: remind of overdue actions and of plans due for review, once per day each."""
    today = timezone.localdate()
    sent = 0
    overdue = actions_overdue(today=today).exclude(reminded_on=today)
    for action in overdue.select_related("plan__child", "responsible_user")[:500]:
        child = action.plan.child
        # The staff member responsible is reminded of their own action; an action on a unit, the guardians or
        # the child is the Stödsamordnare's (else the Barnkontakt's) to follow.
        if action.responsible_kind == Action.ResponsibleKind.STAFF and action.responsible_user.is_active:
            recipient = action.responsible_user
        else:
            holder = current_support_coordinator(child=child) or current_child_contact(child=child)
            recipient = holder.user if holder else None
        _remind(recipient, gettext_lazy("En insats i Barnets plan är försenad"), child.pk)
        action.reminded_on = today
        action.save(update_fields=["reminded_on"])
        sent += 1
    for plan in plans_review_due(today=today).exclude(review_reminded_on=today).select_related("child")[:500]:
        holder = current_support_coordinator(child=plan.child) or current_child_contact(child=plan.child)
        _remind(holder.user if holder else None, gettext_lazy("Barnets plan ska följas upp"), plan.child_id)
        plan.review_reminded_on = today
        plan.save(update_fields=["review_reminded_on"])
        sent += 1
    return sent


@shared_task
def cull_closed_cases() -> dict:
    """In one tenant: gallring of closed cases past the retention period."""
    from modules.casework.services import retention_cull

    return retention_cull()


@shared_task
def send_meeting_kallelse(*, meeting_id: int, uninvited_user_ids: list[int] = ()) -> int:
    """The kallelse to a meeting's staff, each in their language, with the calendar event attached: a request
    (new or changed: same UID, higher SEQUENCE) or, for a cancelled meeting and for those no longer invited, a
    cancellation. It reads the meeting as it is when it runs, so a late run sends the latest state. The mail
    names no child."""
    from django.core.mail import EmailMessage

    from modules.accounts.models import User
    from modules.casework.meetings import meeting_ics
    from modules.casework.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).select_related("planned_by").first()
    if meeting is None:
        return 0
    link = f"{site_url()}/barn/{meeting.child_id}/moten/{meeting.pk}/"
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    cancelled = meeting.cancelled_at is not None
    invited = list(meeting.staff.all())
    recipients = [(user, cancelled) for user in invited]
    recipients += [
        (user, True) for user in User.objects.filter(pk__in=uninvited_user_ids).exclude(pk__in=[u.pk for u in invited])
    ]
    sent = 0
    for user, cancel in recipients:
        if not user.is_active:
            continue
        with in_language_of(user):
            if cancel:
                subject = _("Inställt: barnteamsmöte %(when)s") % {"when": when}
                body = _("Hej!\n\nBarnteamsmötet %(when)s är inställt för dig. Kalenderhändelsen tas bort.\n")
            elif meeting.sequence:
                subject = _("Ändrat: barnteamsmöte %(when)s") % {"when": when}
                body = _("Hej!\n\nBarnteamsmötet är ändrat och är nu %(when)s. Dagordning och deltagare:\n\n%(link)s\n")
            else:
                subject = _("Kallelse till barnteamsmöte %(when)s") % {"when": when}
                body = _(
                    "Hej!\n\nDu är kallad till ett barnteamsmöte %(when)s. Dagordning och deltagare:\n\n%(link)s\n"
                )
            message = EmailMessage(
                subject=subject,
                body=body % {"when": when, "link": link},
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            message.attach("barnteamsmote.ics", meeting_ics(meeting=meeting, link=link, cancel=cancel), "text/calendar")
            message.send()
            sent += 1
    return sent
