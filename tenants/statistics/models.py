"""National statistics in public: each instance's aggregates per snapshot date, and what was published.

``SnapshotCell`` is all an instance sends: a date, the instance, a metric code, a category code, a month and a
count. No column can hold a child's id, name, date of birth or free text (tests/tenants/statistics/
test_snapshot_columns.py checks the table itself): codes are one token starting with a letter (a database
CHECK), the month is the first of a month (a CHECK), the count is an integer. ``Publication`` and its
``PublishedCube``s hold, per snapshot date, the cubes after disclosure control: shown counts, marks for hidden ones.
"""

from django.db import models

from modules.statistics.metrics import CODE_PATTERN


class SnapshotCell(models.Model):
    snapshot_on = models.DateField()
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=100)
    category = models.CharField(max_length=130)
    month = models.DateField()
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot_on", "tenant", "metric", "category", "month"], name="one_snapshot_cell"
            ),
            models.CheckConstraint(name="snapshot_metric_is_code", condition=models.Q(metric__regex=CODE_PATTERN)),
            models.CheckConstraint(name="snapshot_category_is_code", condition=models.Q(category__regex=CODE_PATTERN)),
            models.CheckConstraint(name="snapshot_month_is_first", condition=models.Q(month__day=1)),
        ]
        indexes = [models.Index(fields=["snapshot_on", "metric"], name="snapshot_date_metric_idx")]

    def __str__(self):
        return f"{self.snapshot_on} {self.tenant_id} {self.metric}/{self.category} {self.month:%Y-%m}"


class Publication(models.Model):
    """The disclosure-controlled cubes of one snapshot date, built once (tenants/statistics/services.py)."""

    snapshot_on = models.DateField(unique=True)
    threshold = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField(auto_now_add=True)
    instances = models.PositiveIntegerField()

    class Meta:
        ordering = ["-snapshot_on"]

    def __str__(self):
        return f"Publication {self.snapshot_on}"


class SnapshotRun(models.Model):
    """An instance took part in a snapshot date (also when it had nothing to count): it is in that date's cubes."""

    snapshot_on = models.DateField()
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    cells = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot_on", "tenant"], name="one_snapshot_run")]

    def __str__(self):
        return f"{self.snapshot_on} {self.tenant_id}"


class PublishedCube(models.Model):
    """One metric of a publication: its axes and every cell, a count or a mark (see tenants/statistics/cube.py)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="cubes")
    metric = models.CharField(max_length=100)
    geography = models.JSONField()  # [[level, code], ...]
    categories = models.JSONField()
    periods = models.JSONField()
    # Flattened [geography][category][period]: a count when shown, -1 under the threshold, -2 hidden to protect.
    values = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "metric"], name="one_cube_per_metric")]

    def __str__(self):
        return f"{self.publication.snapshot_on} {self.metric}"
