"""StreamField blocks of the standards pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from standards.categories import CATEGORIES, QUALIFIERS
from standards.commitments import METRIC_CHOICES, UNIT_CHOICES, Commitment

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class CommitmentBlock(blocks.StructBlock):
    """One promise, and where it has one, its measurable target."""

    text = blocks.CharBlock(
        max_length=255,
        help_text='The promise in plain words, without the time: "We will contact you".',
    )
    metric = blocks.ChoiceBlock(
        choices=METRIC_CHOICES,
        required=False,
        help_text="What is measured. Leave blank for a promise with no time target.",
    )
    target_value = blocks.IntegerBlock(required=False, min_value=1, max_value=1000)
    target_unit = blocks.ChoiceBlock(choices=UNIT_CHOICES, required=False)
    detail = blocks.TextBlock(
        required=False, help_text="Optional: who does it, exceptions, what happens next."
    )

    def clean(self, value):
        value = super().clean(value)
        parts = [value.get("metric"), value.get("target_value"), value.get("target_unit")]
        if any(parts) and not all(parts):
            errors = {
                name: ValidationError(
                    "Give a metric, a number and a unit together, or none of them."
                )
                for name, part in zip(("metric", "target_value", "target_unit"), parts, strict=True)
                if not part
            }
            raise StructBlockValidationError(block_errors=errors)
        return value

    def commitment(self, value) -> Commitment:
        return Commitment.from_block_value(value)

    class Meta:
        icon = "tick"
        label = "Commitment"


class ReportingChannelBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("phone", "Phone"),
            ("textphone", "Textphone or relay"),
            ("email", "Email"),
            ("online", "Online form"),
            ("in_person", "In person"),
        ]
    )
    label = blocks.CharBlock(max_length=120, help_text='For example "Council ASB line".')
    value = blocks.CharBlock(max_length=255, help_text="The number, email address or web address.")
    hours = blocks.CharBlock(
        max_length=120, required=False, help_text='When it is answered, e.g. "24 hours".'
    )
    notes = blocks.CharBlock(max_length=255, required=False)

    def clean(self, value):
        value = super().clean(value)
        if value.get("kind") == "email":
            try:
                validate_email(value.get("value"))
            except ValidationError as error:
                raise StructBlockValidationError(
                    block_errors={"value": ValidationError("Enter a valid email address.")}
                ) from error
        return value

    class Meta:
        icon = "mail"
        label = "Way to report"


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.CharBlock(max_length=60, help_text='For example "Monday to Friday".')
    opens = blocks.TimeBlock(required=False)
    closes = blocks.TimeBlock(required=False)
    open_24_hours = blocks.BooleanBlock(required=False, label="Open 24 hours")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("open_24_hours") and not (value.get("opens") and value.get("closes")):
            raise StructBlockValidationError(
                block_errors={
                    "opens": ValidationError("Give opening and closing times, or tick 24 hours.")
                }
            )
        return value

    class Meta:
        icon = "time"


class FrontCounterBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120, help_text='For example "Brixton police station".')
    address = blocks.TextBlock()
    opening_hours = blocks.ListBlock(OpeningHoursBlock(), min_num=1)

    class Meta:
        icon = "home"
        label = "Front counter"


PARTNER_KINDS = [
    ("council_asb_team", "Council ASB team"),
    ("housing_provider", "Housing provider"),
    ("victim_support", "Victim support"),
    ("mediation", "Mediation service"),
    ("environmental_health", "Environmental health (noise)"),
    ("other", "Other partner"),
]


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=160)
    kind = blocks.ChoiceBlock(choices=PARTNER_KINDS)
    description = blocks.CharBlock(max_length=255, required=False)
    phone = blocks.CharBlock(max_length=40, required=False)
    email = blocks.EmailBlock(required=False)
    website = blocks.URLBlock(required=False)

    class Meta:
        icon = "group"
        label = "Partner agency"


class CategoryListBlock(blocks.StaticBlock):
    """The 13 national ASB categories, from standards.categories."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["categories"] = CATEGORIES
        return context

    class Meta:
        icon = "list-ul"
        label = "The 13 ASB categories"
        admin_text = "Shows the 13 national ASB categories with a short explanation of each."
        template = "standards/blocks/category_list.html"


class QualifierListBlock(blocks.StaticBlock):
    """The personal / nuisance / environmental qualifiers, from standards.categories."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["qualifiers"] = QUALIFIERS
        return context

    class Meta:
        icon = "list-ul"
        label = "The three ASB qualifiers"
        admin_text = "Shows the personal, nuisance and environmental qualifiers."
        template = "standards/blocks/qualifier_list.html"


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("inset", "Inset text"), ("warning", "Warning")], default="inset"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "standards/blocks/callout.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        label = "Expandable details"
        template = "standards/blocks/details.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "standards/blocks/heading.html"


class ContentStreamBlock(blocks.StreamBlock):
    """Body content of advice and standards pages."""

    heading = HeadingBlock(max_length=120)
    paragraph = blocks.RichTextBlock(features=["h3", *RICH_TEXT_FEATURES])
    callout = CalloutBlock()
    details = DetailsBlock()
    categories = CategoryListBlock()
    qualifiers = QualifierListBlock()
