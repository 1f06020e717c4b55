"""One counter per (scope, who, window): the database store of throttling.limits."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    # sha256 of scope, who and window: no address or email is kept in the clear.
    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.count}"
