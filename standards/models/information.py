"""Information pages: the privacy notice, accessibility statement, cookies and contact.

Ordinary pages editors keep up to date in the CMS. The footer links to them by slug
(``standards.footer``), so a page that is missing or unpublished is simply not linked.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from standards.blocks import ContentStreamBlock


class InformationPage(Page):
    summary = models.CharField(
        max_length=255,
        blank=True,
        help_text="One sentence under the heading: what this page tells people.",
    )
    body = StreamField(ContentStreamBlock())
    last_updated = models.DateField(
        null=True, blank=True, help_text="When the content was last checked (shown on the page)."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    template = "standards/information_page.html"

    class Meta:
        verbose_name = "information page (privacy, accessibility, cookies, contact)"
