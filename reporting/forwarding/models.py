"""What comes back from the boroughs' case systems and who files through the portal: the
status updates received (idempotent by update id), the Open311 keys issued to other
services and which key filed which report.

Where each borough's case system is lives with the outbox
(``reporting.outbox.models.CaseSystemConfig``): both directions use it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from geography.boundaries import borough_choices


class InboundUpdate(models.Model):
    """A status update a case system sent (or we fetched): idempotent by its update id."""

    class Source(models.TextChoices):
        PUSH = "push", "Sent to the inbound endpoint"
        POLL = "poll", "Fetched by polling"

    borough_code = models.CharField(max_length=9, choices=borough_choices)
    update_id = models.CharField(max_length=200)
    report = models.ForeignKey(
        "reporting.Report", on_delete=models.CASCADE, related_name="case_updates"
    )
    source = models.CharField(max_length=4, choices=Source.choices)
    external_status = models.CharField(max_length=64, blank=True)
    portal_status = models.CharField(max_length=16, blank=True)
    updated_datetime = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["borough_code", "update_id"], name="forwarding_inbound_update_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Update {self.update_id} from {self.borough_code}"


class Open311ApiKey(models.Model):
    """A key another service uses to file reports through the portal's Open311 server.

    Only a hash is stored; the key is shown once, when issued.
    """

    name = models.CharField(max_length=100, help_text="Who the key is for.")
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Open311 API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Submission(models.Model):
    """Which key filed which report through the Open311 server."""

    report = models.OneToOneField(
        "reporting.Report", on_delete=models.CASCADE, related_name="open311_submission"
    )
    api_key = models.ForeignKey(Open311ApiKey, on_delete=models.PROTECT, related_name="reports")
    service_code = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.report} via {self.api_key}"
