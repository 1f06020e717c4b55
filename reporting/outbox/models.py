"""The outbox's rows: one :class:`Message` per message that leaves the portal, every
:class:`Attempt` at sending it, the :class:`DrainSlot` leases that say which workers are
draining, and where each borough's case system is (:class:`CaseSystemConfig`).

Secrets are never stored here: a case system configuration names the environment
variable that holds its API key or HMAC secret (``credential_env``). Residents' addresses
are not stored either: a message to a resident is addressed when it is sent, through the
one rule that says whether and how the resident may be contacted.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from geography.boundaries import borough_choices
from reporting.outbox.adapters.base import CaseTarget

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

    @property
    def channel(self) -> str:
        """The outbox channel a case report to this system goes through."""
        return {
            AdapterKind.OPEN311: Channel.OPEN311,
            AdapterKind.WEBHOOK: Channel.WEBHOOK,
            AdapterKind.EMAIL: Channel.EMAIL,
        }[self.kind]

    @property
    def destination(self) -> str:
        return Channel.EMAIL if self.kind == AdapterKind.EMAIL else f"case:{self.pk}"

    def target(self) -> CaseTarget:
        """What the HTTP adapters need to know of this system, as plain data."""
        return CaseTarget(
            borough_code=self.borough_code,
            endpoint_url=self.endpoint_url,
            jurisdiction_id=self.jurisdiction_id,
            service_codes=dict(self.service_codes or {}),
            credential_env=self.credential_env,
        )


class Audience(models.TextChoices):
    """Who a message is for: the rules about borough-bound messages hang on this."""

    BOROUGH = "borough", "Borough ASB inbox"
    TEAM = "team", "Safer Neighbourhoods team"
    CASE_SYSTEM = "case_system", "Borough case system"
    RESIDENT = "resident", "Resident"
    STAFF = "staff", "Portal staff"


BOROUGH_BOUND = (Audience.BOROUGH, Audience.TEAM, Audience.CASE_SYSTEM)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    OPEN311 = "open311", "Open311"
    WEBHOOK = "webhook", "Signed webhook"


class State(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Failed (needs staff)"
    CANCELLED = "cancelled", "Not sent (nothing to send)"


CLAIMABLE = (State.QUEUED, State.RETRYING)
WAITING = (State.QUEUED, State.SENDING, State.RETRYING)


class Message(models.Model):
    """One message to one recipient: the outbox row, written with what caused it."""

    kind = models.CharField(max_length=40, help_text="The registered message kind.")
    audience = models.CharField(max_length=12, choices=Audience.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    destination = models.CharField(
        max_length=40, help_text='Where it goes out: "email", or "case:<id>" for a case system.'
    )
    report = models.ForeignKey(
        "reporting.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        db_index=False,  # "outbox_message_report" (report, kind) serves it
    )
    event = models.ForeignKey(
        "reporting.ReportEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The timeline event the message is about (a status change, new information).",
        db_index=False,  # a partial index in Meta
    )
    about = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The message a dead-letter alert or an apology is about.",
        db_index=False,  # a partial index in Meta
    )
    config = models.ForeignKey(
        CaseSystemConfig,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
        db_index=False,  # a partial index in Meta
    )
    borough_code = models.CharField(max_length=9, choices=borough_choices, blank=True)
    recipient = models.CharField(
        max_length=254,
        blank=True,
        help_text="The address of an organisation's inbox or of staff; blank for residents.",
    )
    dedupe_key = models.CharField(max_length=255, editable=False)  # unique: see Meta
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.PositiveSmallIntegerField(
        default=5, help_text="0 goes first (urgent reports), 9 last."
    )

    state = models.CharField(max_length=9, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    last_error = models.TextField(blank=True)
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The last SMTP or HTTP status code."
    )

    external_id = models.CharField(
        max_length=200, blank=True, help_text="The case system's reference for the case."
    )
    token = models.CharField(
        max_length=200, blank=True, help_text="Open311 token, until it resolves to an id."
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("retry_message", "Can send a failed message again")]
        indexes = [
            # The claim: the first due row in priority order, among claimable rows only.
            models.Index(
                fields=["priority", "next_attempt_at", "id"],
                condition=Q(state__in=["queued", "retrying"]),
                name="outbox_message_due",
            ),
            models.Index(fields=["borough_code", "state"], name="outbox_message_borough"),
            # Every claim and every record changes the state, so each index here is
            # written twice per message: the sweep's and the flush's are partial (only
            # the rows in flight, only the rows waiting to retry) to keep that cheap.
            models.Index(
                fields=["lease_until"],
                condition=Q(state="sending"),
                name="outbox_message_in_flight",
            ),
            models.Index(
                fields=["destination", "next_attempt_at"],
                condition=Q(state="retrying"),
                name="outbox_message_retrying",
            ),
            models.Index(
                fields=["borough_code", "external_id"],
                condition=~Q(external_id=""),
                name="outbox_message_case",
            ),
            models.Index(fields=["report", "kind"], name="outbox_message_report"),
            # Most messages have no event, alert subject or case system: index only those
            # that do (what deleting one of those, or finding a case, looks up).
            models.Index(
                fields=["event"], condition=Q(event__isnull=False), name="outbox_message_event"
            ),
            models.Index(
                fields=["about"], condition=Q(about__isnull=False), name="outbox_message_about"
            ),
            models.Index(
                fields=["config"], condition=Q(config__isnull=False), name="outbox_message_config"
            ),
        ]
        constraints = [
            # A constraint, not unique=True: no second (LIKE) index on PostgreSQL.
            models.UniqueConstraint(fields=["dedupe_key"], name="outbox_message_dedupe_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_state_display()})"

    @property
    def message_id(self) -> str:
        """The stable RFC 5322 Message-ID: the same on every resend of this row."""
        from django.conf import settings

        return f"<{self.idempotency_key}@{settings.OUTBOX_MESSAGE_ID_DOMAIN}>"

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING


class Attempt(models.Model):
    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        REJECTED = "rejected", "Rejected (will not succeed by retrying)"
        INTERRUPTED = "interrupted", "The worker stopped during the attempt"
        CANCELLED = "cancelled", "Nothing to send"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=11, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["message", "number", "id"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of message {self.message_id}: {self.outcome}"


class DrainSlot(models.Model):
    """One of the OUTBOX_DRAINERS places a worker may drain from; held with a lease."""

    slot = models.PositiveSmallIntegerField(primary_key=True)
    lease_until = models.DateTimeField()
    holder = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"Drain slot {self.slot}"
