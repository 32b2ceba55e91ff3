"""A tenant model used only by the benchmark: its second migration is the AddField applied to every tenant."""

import os

from django.db import models


class BenchNote(models.Model):
    title = models.CharField(max_length=100)
    if os.environ.get("BENCH_ADDFIELD") == "1":
        body = models.TextField(default="", blank=True)

    def __str__(self):
        return self.title
