from django.db import models
from django.db.models import Q


class OutboxTask(models.Model):
    """A task to send to the broker, written in the same transaction as the change that asks for it.

    One table in ``public`` for every tenant, with the schema the task must run in: the relay then reads one
    table instead of one per tenant, and tenant-schemas-celery takes the schema from the ``_schema_name``
    header the relay sets from this row. Arguments are ids only (enqueue_on_commit refuses anything else).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    schema_name = models.CharField(max_length=63)
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # Set by the relay once the broker accepted the message; the message carries this row's id.
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker after the task ran to the end: a second delivery of the same row is then skipped.
    done_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    # The class of the last broker error (never its message, which may quote the arguments).
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_unsent"),
            models.Index(fields=["done_at"], name="outbox_done_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} in {self.schema_name} ({self.pk})"
