"""Advice for residents: what ASB is, what happens after you report, the case review."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from standards.blocks import ContentStreamBlock


class AdviceIndexPage(Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["standards.AdvicePage"]
    max_count = 1
    template = "standards/advice_index_page.html"

    class Meta:
        verbose_name = "advice index page"

    def advice_pages(self):
        return AdvicePage.objects.child_of(self).live().public().order_by("path")


class AdvicePage(Page):
    summary = models.CharField(
        max_length=255, help_text="One sentence shown in the list of advice pages."
    )
    body = StreamField(ContentStreamBlock())
    keywords = models.CharField(
        max_length=255,
        blank=True,
        help_text="Everyday words people might search for, separated by commas "
        '(for example "noise, loud music, parties"). Not shown on the page.',
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("keywords")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("keywords", boost=2),
    ]

    parent_page_types = ["standards.AdviceIndexPage"]
    subpage_types: list[str] = []
    template = "standards/advice_page.html"

    class Meta:
        verbose_name = "advice page"
