"""A list of ASB category codes stored as JSON, edited as checkboxes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from standards.categories import CATEGORY_BY_CODE, CATEGORY_CHOICES


class CategoryCodesFormField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for name in ("encoder", "decoder", "max_length"):
            kwargs.pop(name, None)
        kwargs["choices"] = CATEGORY_CHOICES
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return list(value or [])


class CategoryCodesField(models.JSONField):
    """Zero or more of the 13 ASB category codes, kept in the order of standards.categories."""

    description = "ASB category codes"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = [code for code in value or [] if code not in CATEGORY_BY_CODE]
        if unknown:
            raise ValidationError(
                "Unknown ASB categories: %(codes)s",
                params={"codes": ", ".join(map(str, unknown))},
                code="invalid_category",
            )

    def formfield(self, **kwargs):
        return CategoryCodesFormField(
            required=not self.blank,
            label=self.verbose_name[:1].upper() + self.verbose_name[1:],
            help_text=self.help_text,
        )
