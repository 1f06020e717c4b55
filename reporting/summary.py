"""The "check your answers" page as data: sections of (question, answer) rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from geography.boundaries import borough_for, borough_name
from geography.reverse import describe_point
from reporting.models import LocationSource
from reporting.wizard import STEP_BY_SLUG, STEPS
from standards.text import govuk_date, govuk_time

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    field: str = ""


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    rows: list[Row]
    change_url: str


def _display(field: forms.Field, value) -> str:
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value or []) or NOT_GIVEN
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, "")) or NOT_GIVEN
    return str(value).strip() if value not in (None, "") else NOT_GIVEN


def _generic(form: forms.Form, skip: tuple[str, ...] = ()) -> list[Row]:
    rows = []
    for name, field in form.fields.items():
        if name in skip or isinstance(field.widget, forms.HiddenInput):
            continue
        rows.append(Row(str(field.label), _display(field, form.cleaned_data.get(name)), name))
    return rows


def _where(form) -> list[Row]:
    data = form.cleaned_data
    rows = []
    if data.get("latitude") is not None:
        code = borough_for(data["latitude"], data["longitude"])
        source = dict(LocationSource.choices).get(data["location_source"], "")
        words = describe_point(data["latitude"], data["longitude"]) or NOT_GIVEN
        rows.append(Row("Place", f"{words[0].upper()}{words[1:]}\n({source})", "latitude"))
        rows.append(Row("Borough", borough_name(code) or NOT_GIVEN, "latitude"))
    else:
        rows.append(Row("Borough", borough_name(data.get("borough", "")) or NOT_GIVEN, "borough"))
    rows.append(
        Row(
            "Description of the place",
            data.get("location_description") or NOT_GIVEN,
            "location_description",
        )
    )
    return rows


def _when(form) -> list[Row]:
    data = form.cleaned_data
    if data["when"] != "date":
        return [Row("When", "It is still happening, or it keeps happening", "when")]
    text = govuk_date(data["occurred_on"])
    if data.get("occurred_time"):
        text += " at " + govuk_time(data["occurred_time"])
    return [Row("When", text, "when")]


def _contact(form) -> list[Row]:
    data = form.cleaned_data
    if data["contact_me"] != "yes":
        return [Row("Contact", "Anonymous: we will not be able to contact you", "contact_me")]
    return _generic(form, skip=("contact_me",))


def _equality(form) -> list[Row]:
    rows = [row for row in _generic(form) if row.value != NOT_GIVEN]
    return rows or [Row("Equality monitoring", "You chose not to answer", "age_band")]


SPECIAL: dict[str, Callable[[forms.Form], list[Row]]] = {
    "where": _where,
    "when": _when,
    "contact": _contact,
    "equality": _equality,
}


def sections(valid: dict, *, uploads, change_url: Callable[..., str]) -> list[Section]:
    result = []
    for step in STEPS:
        if step.slug == "safety":
            continue
        if step.slug == "photos":
            count = len(uploads)
            value = f"{count} photo{'s' if count != 1 else ''}" if count else "No photos"
            rows = [Row("Photos", value, "photos")]
        else:
            form = valid[step.slug]
            rows = SPECIAL.get(step.slug, _generic)(form)
        result.append(
            Section(
                step.slug, STEP_BY_SLUG[step.slug].title, rows, change_url(step.slug, change=True)
            )
        )
    return result
