"""The London-wide minimum standards: what every borough promises, wherever you live."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from standards.blocks import CommitmentBlock, ContentStreamBlock
from standards.models.mixins import CommitmentsMixin


class LondonStandardsPage(CommitmentsMixin, Page):
    intro = models.TextField(
        help_text="A short paragraph: what these standards are and who they apply to."
    )
    standards = StreamField(
        [("commitment", CommitmentBlock())],
        blank=True,
        help_text="The minimum every borough in London commits to.",
    )
    body = StreamField(ContentStreamBlock(), blank=True)
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("standards"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("standards"),
        index.SearchField("body"),
    ]

    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "standards/london_standards_page.html"

    class Meta:
        verbose_name = "London-wide minimum standards page"
