"""What a resident's report becomes once submitted.

Personal details (:class:`ReportContact`) live apart from the report content and are read
only through ``reporting.selectors.contact_for``, which checks the reader's borough and
writes an :class:`AccessLog` row. Equality monitoring (:class:`EqualityResponse`) is not
linked to the report at all: only to the borough and the month, enough for the statistics
it exists for and not enough to tie it back to a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from geography.boundaries import borough_choices
from standards.categories import CATEGORY_CHOICES, QUALIFIER_CHOICES, category_label


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    SENT = "sent", "Sent to the borough"
    ASSIGNED = "assigned", "Assigned to an officer"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class LocationSource(models.TextChoices):
    MAP = "map", "Pin on the map"
    SEARCH = "search", "Address or place search"
    GEOLOCATION = "geolocation", "Resident's location"
    COORDINATES = "coordinates", "Coordinates typed in"
    DESCRIPTION = "description", "Written description"


class Report(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    tracking_nonce = models.CharField(max_length=64)
    # The report flow's own key: a "Send report" retried after an outage (the report was
    # stored, the answer never reached the resident) finds this report, never a second.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES, db_index=True)
    qualifier = models.CharField(max_length=16, choices=QUALIFIER_CHOICES)

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_description = models.TextField(blank=True)
    location_source = models.CharField(max_length=16, choices=LocationSource.choices)
    borough_code = models.CharField(max_length=9, choices=borough_choices, db_index=True)
    neighbourhood = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Safer Neighbourhoods team page the report was routed to.",
    )
    ward_code = models.CharField(max_length=9, blank=True)
    team_name = models.CharField(max_length=255, blank=True)

    occurred_on = models.DateField(null=True, blank=True)
    occurred_time = models.TimeField(null=True, blank=True)
    still_happening = models.BooleanField(default=False)
    happened_before = models.CharField(max_length=8, blank=True)
    reported_before = models.CharField(max_length=16, blank=True)
    earlier_references = models.TextField(blank=True)

    description = models.TextField()
    people_involved = models.TextField(blank=True)

    screening_answers = models.JSONField(default=dict, blank=True)
    risk_level = models.CharField(
        max_length=8, choices=RiskLevel.choices, default=RiskLevel.STANDARD, db_index=True
    )
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_reasons = models.JSONField(default=list, blank=True)
    urgent_callback = models.BooleanField(default=False)

    anonymous = models.BooleanField(default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    repeats = models.ManyToManyField(
        "self", through="RepeatLink", symmetrical=False, related_name="repeated_by"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["borough_code", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ReportContact(models.Model):
    """The resident's personal details: read only through selectors.contact_for."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        EITHER = "either", "Either"

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email_normalised = models.CharField(max_length=254, blank=True, db_index=True)
    phone_digits = models.CharField(max_length=20, blank=True, db_index=True)
    preferred_method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    contact_times = models.CharField(max_length=200, blank=True)
    safe_to_contact = models.BooleanField(default=True)
    safety_notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Contact for {self.report_id}"


class EqualityResponse(models.Model):
    """Optional equality monitoring, deliberately not linked to any report or person."""

    borough_code = models.CharField(max_length=9, choices=borough_choices)
    month = models.DateField(help_text="The first day of the month the report was made.")
    age_band = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=16, blank=True)
    gender_same_as_birth = models.CharField(max_length=16, blank=True)
    ethnic_group = models.CharField(max_length=32, blank=True)
    disability = models.CharField(max_length=16, blank=True)
    religion = models.CharField(max_length=32, blank=True)
    sexual_orientation = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"Equality response {self.borough_code} {self.month:%Y-%m}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"reporting/photos/{instance.report.reference}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.report_id}"


class PendingUpload(models.Model):
    """A photo uploaded during the flow, before the report exists. Purged after some hours."""

    key = models.CharField(max_length=64, unique=True)
    image = models.FileField(upload_to="reporting/pending/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Pending upload {self.pk}"


class RepeatLink(models.Model):
    class Reason(models.TextChoices):
        SAME_CONTACT = "same_contact", "Same contact details"
        SAME_PLACE = "same_place", "Same place (within 50 m)"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="repeat_links")
    earlier = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="later_links")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    distance_m = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "earlier", "reason"], name="reporting_repeat_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} repeats {self.earlier_id} ({self.reason})"


class ReportEvent(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        SENT = "sent", "Sent to the borough"
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"
        UPDATE = "update", "Update"
        RESIDENT_INFO = "resident_info", "More information from the resident"
        STAFF_NOTE = "staff_note", "Staff note"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    message = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "external_id"],
                condition=~Q(external_id=""),
                name="reporting_event_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.report_id})"


class BoroughStaff(models.Model):
    """Ties a staff user to a borough whose reports (and personal details) they may see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asb_boroughs"
    )
    borough_code = models.CharField(max_length=9, choices=borough_choices)

    class Meta:
        verbose_name = "borough ASB staff member"
        verbose_name_plural = "borough ASB staff"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "borough_code"], name="reporting_borough_staff_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_borough_code_display()}"


class AccessLog(models.Model):
    """Every look at a victim's data: a report, its contact details, a photo. Written by
    ``reporting.selectors``, read (never edited) by borough leads in the admin."""

    class What(models.TextChoices):
        REPORT = "report", "The report"
        CONTACT = "contact", "Contact details"
        PHOTO = "photo", "A photo"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="access_logs")
    what = models.CharField(max_length=16, choices=What.choices, default=What.CONTACT)
    object_id = models.CharField(max_length=32, blank=True)  # e.g. the photo's id
    purpose = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.username} read {self.report_id} ({self.purpose})"


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

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="callback_survey")
    borough_code = models.CharField(max_length=9, choices=borough_choices, db_index=True)
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(auto_now_add=True)
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
