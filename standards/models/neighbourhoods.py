"""Neighbourhood (Safer Neighbourhoods team) pages, their team, meetings and priorities.

Team members, meetings and priorities are inline models (ParentalKey), so they are saved
in the page's revisions and go through the same workflow as the page.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from geography import boundaries
from standards.categories import category_label
from standards.fields import CategoryCodesField
from standards.validators import (
    validate_boundary,
    validate_no_phone_number,
    validate_not_mobile_number,
    validate_ward_code,
)

PRIORITY_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
_EDITOR_ATTRIBUTES = re.compile(r'\s+data-block-key="[^"]*"')


class NeighbourhoodPageForm(WagtailAdminPageForm):
    """Checks the centre lies in the page's borough, and that each ward has one page."""

    def clean(self):
        cleaned_data = super().clean()
        latitude = cleaned_data.get("centre_latitude")
        longitude = cleaned_data.get("centre_longitude")
        parent = getattr(self, "parent_page", None)
        parent = parent.specific if parent is not None else None
        code = getattr(parent, "ons_code", None)
        if latitude is not None and longitude is not None and code:
            found = boundaries.borough_for(float(latitude), float(longitude))
            if found != code:
                self.add_error(
                    "centre_latitude",
                    f"This point is not in {parent.title}. Check the latitude and longitude.",
                )
        ward_code = cleaned_data.get("ward_code")
        if ward_code:
            others = NeighbourhoodPage.objects.filter(ward_code=ward_code)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("ward_code", "Another neighbourhood page already has this ward.")
        return cleaned_data


class NeighbourhoodPage(Page):
    ward_name = models.CharField(max_length=120, help_text="The ward's official name.")
    ward_code = models.CharField(
        "ward code",
        max_length=9,
        validators=[validate_ward_code],
        db_index=True,
        help_text="The ward's ONS code, like E05009372.",
    )
    intro = models.TextField(blank=True, help_text="A short paragraph about the area and the team.")
    team_email = models.EmailField(help_text="The team's shared email address.")
    team_phone = models.CharField(
        max_length=40,
        default="101",
        validators=[validate_not_mobile_number],
        help_text="101, or a shared team or station line. Never a personal mobile.",
    )
    team_phone_notes = models.CharField(
        max_length=160,
        blank=True,
        default="Ask for the Safer Neighbourhoods team by ward name.",
    )
    social_media_url = models.URLField(blank=True)
    centre_latitude = models.DecimalField(
        max_digits=8, decimal_places=6, null=True, blank=True, help_text="Decimal degrees."
    )
    centre_longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, help_text="Decimal degrees."
    )
    boundary = models.TextField(
        blank=True,
        validators=[validate_boundary],
        help_text="Optional: the ward boundary as a GeoJSON Polygon or MultiPolygon "
        "(longitude, latitude).",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("ward_name"), FieldPanel("ward_code")]),
        FieldPanel("intro"),
        InlinePanel("team_members", heading="Team", label="Team member"),
        MultiFieldPanel(
            [
                FieldPanel("team_email"),
                FieldRowPanel([FieldPanel("team_phone"), FieldPanel("team_phone_notes")]),
                FieldPanel("social_media_url"),
            ],
            heading="Contact",
        ),
        InlinePanel("meetings", heading="Meetings", label="Meeting"),
        InlinePanel("priorities", heading="Priorities", label="Priority"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("centre_latitude"), FieldPanel("centre_longitude")]),
                FieldPanel("boundary"),
            ],
            heading="Location",
            classname="collapsed",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("ward_name"),
        index.AutocompleteField("ward_name"),
        index.SearchField("intro"),
        index.FilterField("ward_code"),
        index.RelatedFields(
            "priorities", [index.SearchField("issue"), index.SearchField("action")]
        ),
    ]

    parent_page_types = ["standards.BoroughPage"]
    subpage_types: list[str] = []
    base_form_class = NeighbourhoodPageForm
    template = "standards/neighbourhood_page.html"

    class Meta:
        verbose_name = "neighbourhood (Safer Neighbourhoods team) page"

    def clean(self):
        super().clean()
        if (self.centre_latitude is None) != (self.centre_longitude is None):
            raise ValidationError(
                {"centre_longitude": "Give both latitude and longitude, or neither."}
            )
        if self.centre_latitude is not None and not boundaries.in_london(
            float(self.centre_latitude), float(self.centre_longitude)
        ):
            raise ValidationError({"centre_latitude": "This point is not in London."})

    # Reads used by other apps -------------------------------------------------------------

    @property
    def borough_page(self):
        """The BoroughPage this neighbourhood sits under."""
        return self.get_parent().specific

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.centre_latitude is None or self.centre_longitude is None:
            return None
        return (float(self.centre_latitude), float(self.centre_longitude))

    def _sorted_priorities(self) -> list[Priority]:
        # Works on saved pages and on unsaved previews (modelcluster's in-memory relations).
        return sorted(self.priorities.all(), key=lambda priority: priority.sort_order or 0)

    def current_priorities(self) -> list[Priority]:
        """Open and in-progress priorities, in the order the team put them."""
        return [p for p in self._sorted_priorities() if p.status != Priority.Status.RESOLVED]

    def past_priorities(self) -> list[Priority]:
        """Resolved priorities, most recently resolved first: the team's history."""
        resolved = [p for p in self._sorted_priorities() if p.status == Priority.Status.RESOLVED]
        return sorted(
            resolved, key=lambda p: (p.action_date or p.issue_date, p.issue_date), reverse=True
        )

    def upcoming_meetings(self, now: dt.datetime | None = None) -> list[NeighbourhoodMeeting]:
        from django.utils import timezone

        now = now or timezone.now()
        return sorted(
            (meeting for meeting in self.meetings.all() if meeting.starts_at >= now),
            key=lambda meeting: meeting.starts_at,
        )

    # The priorities feed ------------------------------------------------------------------

    def priorities_feed(self) -> list[dict]:
        """Priorities shaped exactly like the police.uk neighbourhood priorities API."""
        return [
            priority.as_police_uk()
            for priority in self.current_priorities() + self.past_priorities()
        ]

    def priorities_feed_url(self) -> str:
        return reverse("standards:priorities_feed", args=[self.ward_code])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["current_priorities"] = self.current_priorities()
        context["past_priorities"] = self.past_priorities()
        context["upcoming_meetings"] = self.upcoming_meetings()
        return context


class NeighbourhoodTeamMember(Orderable):
    class Role(models.TextChoices):
        INSPECTOR = "inspector", "Inspector"
        SERGEANT = "sergeant", "Sergeant"
        DWO = "dwo", "Dedicated ward officer"
        PC = "pc", "Police constable"
        PCSO = "pcso", "Police community support officer"
        SPECIAL = "special", "Special constable"

    page = ParentalKey(NeighbourhoodPage, on_delete=models.CASCADE, related_name="team_members")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(
        max_length=120,
        blank=True,
        validators=[validate_no_phone_number],
        help_text='Optional, as the officer wishes to be known, e.g. "PC Amira Khan". '
        "No phone numbers.",
    )

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("name")])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}".strip()


class NeighbourhoodMeeting(Orderable):
    page = ParentalKey(NeighbourhoodPage, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=120, default="Ward panel meeting")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=160, help_text='For example "St John\'s Church hall".')
    address = models.CharField(max_length=255, blank=True)
    details = models.CharField(
        max_length=255, blank=True, help_text="Accessibility, booking, who can come."
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("starts_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("address")]),
        FieldPanel("details"),
    ]

    def __str__(self) -> str:
        return f"{self.title}, {self.place}"


class Priority(Orderable):
    """A "you said, we did" priority of a Safer Neighbourhoods team."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"

    page = ParentalKey(NeighbourhoodPage, on_delete=models.CASCADE, related_name="priorities")
    issue = RichTextField(
        "You said", features=PRIORITY_TEXT_FEATURES, help_text="The problem people raised."
    )
    issue_date = models.DateField("date set")
    action = RichTextField(
        "We did",
        features=PRIORITY_TEXT_FEATURES,
        blank=True,
        help_text="What the team and partners have done. Leave blank until there is action.",
    )
    action_date = models.DateField("date of action", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    categories = CategoryCodesField("ASB categories")

    panels = [
        FieldPanel("issue"),
        FieldPanel("issue_date"),
        FieldPanel("action"),
        FieldPanel("action_date"),
        FieldPanel("status"),
        FieldPanel("categories"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "priority"
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return strip_tags(self.issue)[:80]

    def clean(self):
        super().clean()
        # An emptied rich text editor leaves markup behind ("<p></p>"): treat it as blank.
        if not strip_tags(self.action or "").strip():
            self.action = ""
        errors = {}
        if self.action_date and not self.action:
            errors["action"] = "Say what was done, or remove the date of action."
        if self.action and not self.action_date:
            errors["action_date"] = "Give the date of the action."
        if self.action_date and self.issue_date and self.action_date < self.issue_date:
            errors["action_date"] = "The action cannot be before the date the priority was set."
        if self.status == self.Status.RESOLVED and not self.action:
            errors["action"] = "Say what was done before marking the priority resolved."
        if errors:
            raise ValidationError(errors)

    @property
    def is_resolved(self) -> bool:
        return self.status == self.Status.RESOLVED

    @property
    def category_labels(self) -> list[str]:
        return [category_label(code) for code in self.categories or []]

    def as_police_uk(self) -> dict:
        """This priority in the police.uk priorities API's shape."""
        return {
            "action": _feed_html(self.action) if self.action else None,
            "issue-date": _police_uk_date(self.issue_date),
            "action-date": _police_uk_date(self.action_date) if self.action else None,
            "issue": _feed_html(self.issue),
        }


def _feed_html(value: str) -> str:
    """Rich text as plain HTML: internal links expanded, editor-only attributes removed."""
    return _EDITOR_ATTRIBUTES.sub("", expand_db_html(value))


def _police_uk_date(value: dt.date | None) -> str | None:
    if value is None:
        return None
    return dt.datetime.combine(value, dt.time()).strftime("%Y-%m-%dT%H:%M:%S")
