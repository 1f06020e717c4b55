"""The outbox: which case system each borough uses, one delivery row per report and
destination with every attempt, the updates that came back, the Open311 keys issued to
other services, and the residents' answers to the quality call-back questions.

Secrets are never stored here: a case system configuration names the environment
variable that holds its API key or HMAC secret (``credential_env``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from reporting.models import borough_choices

ENV_NAME = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,99}$",
    "The name of an environment variable: capital letters, digits and underscores.",
)


class AdapterKind(models.TextChoices):
    OPEN311 = "open311", "Open311 GeoReport v2"
    WEBHOOK = "webhook", "Signed JSON webhook"
    EMAIL = "email", "Email to a case inbox"


class CaseSystemConfig(models.Model):
    """How one borough's case system receives reports and sends updates back."""

    borough_code = models.CharField(
        max_length=9, choices=borough_choices, unique=True, verbose_name="borough"
    )
    enabled = models.BooleanField(
        default=True, help_text="Untick to stop sending new reports to this system."
    )
    kind = models.CharField(
        max_length=8, choices=AdapterKind.choices, verbose_name="how reports are sent"
    )
    endpoint_url = models.URLField(
        blank=True,
        max_length=500,
        help_text=(
            "Open311: the GeoReport v2 base URL (ending /open311/v2/ or similar). "
            "Webhook: the URL reports are POSTed to. Not used for email."
        ),
    )
    jurisdiction_id = models.CharField(max_length=100, blank=True)
    service_codes = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'Open311 service code for each ASB category code, e.g. {"noise": "ASB-NOISE"}. '
            "Categories not listed are sent with their own code."
        ),
    )
    email_to = models.EmailField(
        blank=True, help_text="Email: the case system's intake address (required for email)."
    )
    credential_env = models.CharField(
        max_length=100,
        blank=True,
        validators=[ENV_NAME],
        help_text=(
            "The NAME of the environment variable holding the Open311 api_key or the "
            "webhook's HMAC secret (never the secret itself)."
        ),
    )
    inbound_secret_env = models.CharField(
        max_length=100,
        blank=True,
        validators=[ENV_NAME],
        help_text=(
            "The NAME of the environment variable holding the secret this borough signs "
            "status updates with (HMAC-SHA256) or sends as its API key."
        ),
    )
    poll_updates = models.BooleanField(
        default=False,
        help_text="Open311 only: fetch servicerequestupdates from the case system regularly.",
    )
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    poll_cursor = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The latest updated_datetime seen when polling.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["borough_code"]
        verbose_name = "case system"
        verbose_name_plural = "case systems"

    def __str__(self) -> str:
        return f"{self.get_borough_code_display()} – {self.get_kind_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.kind in (AdapterKind.OPEN311, AdapterKind.WEBHOOK) and not self.endpoint_url:
            errors["endpoint_url"] = "Give the URL of the case system."
        if self.kind == AdapterKind.EMAIL and not self.email_to:
            errors["email_to"] = "Give the case system's intake address."
        if self.kind == AdapterKind.WEBHOOK and not self.credential_env:
            errors["credential_env"] = "A webhook is always signed: name its secret's variable."
        if self.poll_updates and self.kind != AdapterKind.OPEN311:
            errors["poll_updates"] = "Only Open311 systems can be polled for updates."
        if not isinstance(self.service_codes, dict) or not all(
            isinstance(v, str) for v in (self.service_codes or {}).values()
        ):
            errors["service_codes"] = (
                'A mapping of category code to service code, e.g. {"noise": "N1"}.'
            )
        if errors:
            raise ValidationError(errors)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Failed (needs staff)"


class Delivery(models.Model):
    """One report to one case system: the outbox row, written with the report."""

    report = models.ForeignKey(
        "reporting.Report", on_delete=models.CASCADE, related_name="deliveries"
    )
    config = models.ForeignKey(
        CaseSystemConfig, on_delete=models.PROTECT, related_name="deliveries"
    )
    borough_code = models.CharField(max_length=9, choices=borough_choices, db_index=True)
    kind = models.CharField(max_length=8, choices=AdapterKind.choices)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    state = models.CharField(
        max_length=9, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    external_id = models.CharField(
        max_length=200, blank=True, help_text="The case system's reference for the case."
    )
    token = models.CharField(
        max_length=200, blank=True, help_text="Open311 token, until it resolves to an id."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "config"], name="forwarding_delivery_one_per_destination"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["borough_code", "external_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.report} to {self.get_borough_code_display()} ({self.get_state_display()})"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        REJECTED = "rejected", "Rejected (will not succeed by retrying)"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number", "id"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}: {self.outcome}"


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


class CallbackSurvey(models.Model):
    """The quality call-back questions, asked when a report is closed; kept per borough."""

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SURE = "not_sure", "Not sure"

    class Seriousness(models.TextChoices):
        VERY = "very", "Very seriously"
        FAIRLY = "fairly", "Fairly seriously"
        NOT_VERY = "not_very", "Not very seriously"
        NOT_AT_ALL = "not_at_all", "Not at all seriously"

    class Satisfaction(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", "Very satisfied"
        FAIRLY_SATISFIED = "fairly_satisfied", "Fairly satisfied"
        NEITHER = "neither", "Neither satisfied nor dissatisfied"
        FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
        VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"

    report = models.OneToOneField(
        "reporting.Report", on_delete=models.CASCADE, related_name="callback_survey"
    )
    borough_code = models.CharField(max_length=9, choices=borough_choices, db_index=True)
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    told_action = models.CharField(
        max_length=8,
        choices=YesNo.choices,
        blank=True,
        verbose_name="Were you told what action would be taken?",
    )
    seriousness = models.CharField(
        max_length=10,
        choices=Seriousness.choices,
        blank=True,
        verbose_name="How seriously was your report taken?",
    )
    know_action = models.CharField(
        max_length=8,
        choices=YesNo.choices,
        blank=True,
        verbose_name="Do you know what action was taken?",
    )
    satisfaction = models.CharField(
        max_length=19,
        choices=Satisfaction.choices,
        blank=True,
        verbose_name="Overall, how satisfied are you with how your report was handled?",
    )

    class Meta:
        ordering = ["-invited_at"]
        verbose_name = "call-back survey"

    def __str__(self) -> str:
        return f"Call-back survey for {self.report_id}"
