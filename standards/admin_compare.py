"""Readable revision comparisons, for the ASB lead who reviews a change before approving it.

Wagtail's compare view shows a value as Python would print it where it has no better
rule: ASB categories as ``['noise', 'begging-vagrancy']``, a metric as its code, an empty
target as ``None``, a tick as ``True``. Here every value reads as the editor typed or
chose it: choices by their labels, ASB categories by name, dates and times in words,
ticks as Yes or No, a missing value as "Not given", and a fixed block (the 13 categories)
by its name. Registered when the admin loads (``standards.wagtail_hooks`` imports this).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail import blocks
from wagtail.admin import compare
from wagtail.blocks.field_block import BaseChoiceBlock
from wagtail.fields import StreamField

from standards.blocks import CommitmentBlock
from standards.categories import category_label
from standards.commitments import Commitment
from standards.fields import CategoryCodesField

NOT_GIVEN = "Not given"
NO_CATEGORIES = "No categories chosen"


def display_value(value) -> str:
    """A stored value in words, for people (never ``None``, ``True`` or a Python list)."""
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "j F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, dt.time):
        return time_format(value, "H:i")
    if isinstance(value, (list, tuple)):
        return ", ".join(display_value(item) for item in value)
    return str(value)


def _changed(text_a: str, text_b: str) -> SafeString:
    """The old value struck out and the new one added, whole (a date is not diffed by
    its digits)."""
    return compare.TextDiff([("deletion", text_a), ("addition", text_b)]).to_html()


# --- model fields -----------------------------------------------------------------------


class ValueComparison(compare.FieldComparison):
    """Dates, times, numbers and ticks of page and inline fields, in words."""

    def htmldiff(self) -> SafeString:
        text_a, text_b = display_value(self.val_a), display_value(self.val_b)
        if self.val_a == self.val_b:
            return escape(text_a)
        return _changed(text_a, text_b)


class CategoryCodesComparison(compare.M2MFieldComparison):
    """ASB categories by name: those kept, those taken off and those added."""

    def get_items(self) -> tuple[list, list]:
        return list(self.val_a or []), list(self.val_b or [])

    def get_item_display(self, item) -> str:
        return category_label(item)

    def htmldiff(self) -> SafeString:
        items_a, items_b = self.get_items()
        if not items_a and not items_b:
            return escape(NO_CATEGORIES)
        return super().htmldiff()


for field_class in (
    models.DateField,  # and DateTimeField
    models.TimeField,
    models.DecimalField,
    models.FloatField,
    models.IntegerField,
    models.BooleanField,
):
    compare.register_comparison_class(field_class, comparison_class=ValueComparison)
compare.register_comparison_class(CategoryCodesField, comparison_class=CategoryCodesComparison)


# --- StreamField blocks -----------------------------------------------------------------


class BlockValueComparison(compare.BlockComparison):
    """A field block's value in words: choices by label, numbers, dates, ticks."""

    def text(self, value) -> str:
        return display_value(value)

    def htmlvalue(self, val) -> SafeString:
        return escape(self.text(val))

    def htmldiff(self) -> SafeString:
        text_a, text_b = self.text(self.val_a), self.text(self.val_b)
        if text_a == text_b:
            return escape(text_a)
        return _changed(text_a, text_b)


def _flat_choices(choices) -> list[tuple[str, str]]:
    """A form field's choices as (value, label), groups opened."""
    flat = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(_flat_choices(label))
        else:
            flat.append((str(key), str(label)))
    return flat


class ChoiceBlockComparison(BlockValueComparison):
    def text(self, value) -> str:
        labels = dict(_flat_choices(self.block.field.choices))
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = [str(labels.get(str(item), item)) for item in values if item not in (None, "")]
        return ", ".join(chosen) or NOT_GIVEN


class TextBlockComparison(compare.CharBlockComparison):
    """Words diffed word by word, as Wagtail does, with an empty value as "Not given"."""

    def htmlvalue(self, val) -> SafeString:
        return escape(val or NOT_GIVEN)

    def htmldiff(self) -> SafeString:
        return compare.diff_text(self.val_a or NOT_GIVEN, self.val_b or NOT_GIVEN).to_html()


class StaticBlockComparison(BlockValueComparison):
    """A fixed block has no value: it is named (for example "The 13 ASB categories")."""

    def text(self, value) -> str:
        return str(self.block.label)

    def has_changed(self) -> bool:
        return False


class ReadableStructComparison(compare.StructBlockComparison):
    """Each part of a struct block under its label, readable."""

    def _parts(self, render) -> SafeString:
        rows = []
        for name, child in self.block.child_blocks.items():
            rows.append((child.label, render(name, child)))
        return format_html(
            "<dl>\n{}\n</dl>", format_html_join("\n", "<dt>{}</dt><dd>{}</dd>", rows)
        )

    def htmlvalue(self, val) -> SafeString:
        def render(name, child):
            value = val.get(name) if val is not None else None
            return block_comparison(child)(child, True, True, value, value).htmlvalue(value)

        return self._parts(render)

    def htmldiff(self) -> SafeString:
        def render(name, child):
            value_a = self.val_a.get(name) if self.val_a is not None else None
            value_b = self.val_b.get(name) if self.val_b is not None else None
            comparison = block_comparison(child)(
                child, self.exists_a, self.exists_b, value_a, value_b
            )
            return comparison.htmldiff()

        return self._parts(render)


def commitment_sentence(value) -> str:
    """A commitment as residents read it: "We will contact you within 48 hours"."""
    if value is None:
        return NOT_GIVEN
    commitment = Commitment.from_block_value(value)
    text = commitment.text.strip().rstrip(".") or NOT_GIVEN
    return f"{text} {commitment.target_text}".strip() + "."


def commitment_measure(value) -> str:
    if value is None:
        return NOT_GIVEN
    commitment = Commitment.from_block_value(value)
    return commitment.metric_label or "No time target"


class CommitmentComparison(compare.StructBlockComparison):
    """A commitment as one sentence (the promise and its target), what is measured, and
    its detail; a change shows the old sentence struck out and the new one whole."""

    def _rows(self, value_a, value_b) -> SafeString:
        rows = []
        for label, text in (
            ("Promise", commitment_sentence),
            ("Measured", commitment_measure),
            ("Detail", lambda v: (v.get("detail") if v is not None else "") or NOT_GIVEN),
        ):
            text_a, text_b = text(value_a), text(value_b)
            rows.append((label, escape(text_a) if text_a == text_b else _changed(text_a, text_b)))
        return format_html(
            '<dl class="commitment-comparison">\n{}\n</dl>',
            format_html_join("\n", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    def htmlvalue(self, val) -> SafeString:
        return self._rows(val, val)

    def htmldiff(self) -> SafeString:
        return self._rows(self.val_a, self.val_b)


def _readable(comparisons: list) -> list:
    """Wagtail's pairing of old and new blocks, with our comparison for each pair."""
    return [
        block_comparison(item.block)(
            item.block, item.exists_a, item.exists_b, item.val_a, item.val_b
        )
        for item in comparisons
    ]


def _labelled(children) -> SafeString:
    """Each (label, html) of a stream, as Wagtail shows a struct: a description list."""
    return format_html(
        "<dl>\n{}\n</dl>", format_html_join("\n", "<dt>{}</dt><dd>{}</dd>", children)
    )


def _one_after_another(children) -> SafeString:
    return format_html_join(
        "\n", '<div class="comparison__child-object">{}</div>', ((html,) for html in children)
    )


def _child_values(comparison, val) -> list[tuple[str, SafeString]]:
    """(label, readable value) of each child block of a stream or list value."""
    children = []
    for child in comparison.get_blocks_from_value(val):
        child_comparison = block_comparison(child.block)(
            child.block, True, True, child.value, child.value
        )
        children.append((child.block.label, child_comparison.htmlvalue(child.value)))
    return children


class ReadableStreamComparison(compare.StreamBlockComparison):
    def get_block_comparisons(self) -> list:
        return _readable(super().get_block_comparisons())

    def htmlvalue(self, val) -> SafeString:
        return _labelled(_child_values(self, val))


class ReadableListComparison(compare.ListBlockComparison):
    def get_block_comparisons(self) -> list:
        return _readable(super().get_block_comparisons())

    def htmlvalue(self, val) -> SafeString:
        return _one_after_another(html for _label, html in _child_values(self, val))


def block_comparison(block) -> type[compare.BlockComparison]:
    """The comparison for a block: the block's own if it has one, ours for the kinds that
    Wagtail would print as Python, Wagtail's for the rest (rich text)."""
    if hasattr(block, "get_comparison_class"):
        return block.get_comparison_class()
    if isinstance(block, CommitmentBlock):
        return CommitmentComparison
    if isinstance(block, blocks.StructBlock):
        return ReadableStructComparison
    if isinstance(block, blocks.StreamBlock):
        return ReadableStreamComparison
    if isinstance(block, blocks.ListBlock):
        return ReadableListComparison
    if isinstance(block, blocks.StaticBlock):
        return StaticBlockComparison
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return TextBlockComparison
    if isinstance(block, blocks.RichTextBlock):
        return compare.get_comparison_class_for_block(block)
    if isinstance(block, BaseChoiceBlock):
        return ChoiceBlockComparison
    if isinstance(block, blocks.FieldBlock):
        return BlockValueComparison
    return compare.get_comparison_class_for_block(block)


class ReadableStreamFieldComparison(compare.StreamFieldComparison):
    def htmldiff(self) -> SafeString:
        if self.has_block_ids(self.val_a) and self.has_block_ids(self.val_b):
            return ReadableStreamComparison(
                self.field.stream_block, True, True, self.val_a, self.val_b
            ).htmldiff()
        return super().htmldiff()


compare.register_comparison_class(StreamField, comparison_class=ReadableStreamFieldComparison)
