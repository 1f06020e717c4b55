"""The home page: the way in for residents."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The root page of the site: report, emergency guidance, and find your area."""

    intro = models.CharField(
        max_length=255,
        default="Report anti-social behaviour, find out what your borough promises to do, "
        "and see what your local Safer Neighbourhoods team is working on.",
        help_text="One sentence under the main heading.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "link", "ul", "ol"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "standards.LondonStandardsPage",
        "standards.BoroughIndexPage",
        "standards.AdviceIndexPage",
        "standards.InformationPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "home page"
