"""Borough pages: each borough's ASB minimum standards, how to report, leads and partners."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from geography import boundaries
from standards.blocks import (
    CommitmentBlock,
    FrontCounterBlock,
    PartnerBlock,
    ReportingChannelBlock,
)
from standards.models.mixins import CommitmentsMixin
from standards.models.neighbourhoods import NeighbourhoodPage
from standards.validators import validate_borough_code


class BoroughIndexPage(Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["standards.BoroughPage"]
    max_count = 1
    template = "standards/borough_index_page.html"

    class Meta:
        verbose_name = "borough index page"

    def boroughs(self):
        return BoroughPage.objects.child_of(self).live().public().order_by("title")


class BoroughPage(CommitmentsMixin, Page):
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        validators=[validate_borough_code],
        help_text="The borough's ONS code, E09000001 to E09000033.",
    )
    intro = models.TextField(
        blank=True, help_text="A short paragraph at the top of the page, in plain words."
    )
    standards = StreamField(
        [("commitment", CommitmentBlock())],
        blank=True,
        help_text="The borough's ASB minimum standards: one commitment each.",
    )
    reporting_channels = StreamField([("channel", ReportingChannelBlock())], blank=True)
    front_counters = StreamField([("front_counter", FrontCounterBlock())], blank=True)
    asb_lead_role = models.CharField(
        "ASB lead (role)",
        max_length=160,
        help_text='The named senior lead for ASB, by role: "Superintendent, Neighbourhoods".',
    )
    asb_lead_name = models.CharField("ASB lead (name)", max_length=120, blank=True)
    victim_champion_role = models.CharField(
        max_length=160, blank=True, help_text="Who speaks up for victims of ASB, by role."
    )
    victim_champion_name = models.CharField(max_length=120, blank=True)
    victim_champion_email = models.EmailField(blank=True)
    partners = StreamField([("partner", PartnerBlock())], blank=True)
    asb_inbox_email = models.EmailField(
        "ASB inbox email",
        help_text="The borough's shared ASB inbox. Reports are sent here; it is not shown "
        "to the public.",
    )
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("ons_code"),
        FieldPanel("intro"),
        FieldPanel("standards"),
        MultiFieldPanel(
            [FieldPanel("reporting_channels"), FieldPanel("front_counters")],
            heading="How to report",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("asb_lead_role"), FieldPanel("asb_lead_name")]),
                FieldRowPanel(
                    [FieldPanel("victim_champion_role"), FieldPanel("victim_champion_name")]
                ),
                FieldPanel("victim_champion_email"),
            ],
            heading="Leads",
        ),
        FieldPanel("partners"),
        FieldPanel("asb_inbox_email"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("standards"),
        index.SearchField("partners"),
        index.FilterField("ons_code"),
    ]

    parent_page_types = ["standards.BoroughIndexPage"]
    subpage_types = ["standards.NeighbourhoodPage"]
    template = "standards/borough_page.html"

    class Meta:
        verbose_name = "borough page"

    @property
    def borough_name(self) -> str:
        return boundaries.borough_name(self.ons_code) or self.title

    def neighbourhoods(self):
        """The live, public neighbourhood (SN team) pages of this borough, by title."""
        return NeighbourhoodPage.objects.child_of(self).live().public().order_by("title")
