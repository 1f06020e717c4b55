"""One Django form per step of the report flow, and the forms of tracking and staff triage.

Every form can give back the data it was bound with (:meth:`StepForm.stored_data`) so the
flow keeps answers in the session and validates them all again at submit. Every message a
resident can see is in :mod:`reporting.error_messages`.
"""

from __future__ import annotations

import re
from datetime import date, time

from django import forms
from django.utils import timezone

from geography.boundaries import borough_for, boroughs
from reporting import error_messages as errors
from reporting.ids import normalise_reference
from reporting.models import (
    AccessLog,
    CallbackSurvey,
    LocationSource,
    ReportContact,
    RiskLevel,
    Status,
)
from reporting.photos import MAX_PHOTOS
from reporting.risk import QUESTION_BY_KEY
from standards.categories import CATEGORIES, QUALIFIERS

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
PEOPLE_MAX = 2000
PLACE_MAX = 1000
INFO_MAX = 3000
# As long as the model's column (longer would not fit, and cannot be anyone's address).
EMAIL_MAX = ReportContact._meta.get_field("email").max_length
POINT_SOURCES = (
    LocationSource.MAP,
    LocationSource.GEOLOCATION,
    LocationSource.SEARCH,
    LocationSource.COORDINATES,
)


class StepForm(forms.Form):
    """A form whose valid data can be stored in the session and bound again later."""

    def stored_data(self) -> dict:
        data = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                data[name] = list(self.cleaned_data.get(name) or [])
            else:
                raw = self.data.get(self.add_prefix(name), "")
                data[name] = raw if isinstance(raw, str) else str(raw)
        return data

    @classmethod
    def bind(cls, stored: dict, **kwargs) -> StepForm:
        from django.utils.datastructures import MultiValueDict

        values = MultiValueDict()
        for key, value in stored.items():
            if isinstance(value, list):
                values.setlist(key, value)
            else:
                values[key] = value
        return cls(data=values, **kwargs)


def question_field(key: str, **kwargs) -> forms.Field:
    question = QUESTION_BY_KEY[key]
    field_class = forms.MultipleChoiceField if question.multiple else forms.ChoiceField
    return field_class(
        choices=question.choices,
        label=question.text,
        help_text=question.hint,
        error_messages=errors.QUESTIONS[key],
        **kwargs,
    )


def clean_exclusive(form: forms.Form, key: str) -> list[str]:
    values = form.cleaned_data.get(key) or []
    question = QUESTION_BY_KEY[key]
    exclusive = {o.value for o in question.options if o.exclusive}
    if len(values) > 1 and exclusive & set(values):
        raise forms.ValidationError(errors.QUESTIONS[key]["exclusive"], code="exclusive")
    return values


class SafetyForm(StepForm):
    danger = forms.ChoiceField(
        label="Is anyone in immediate danger, or is a crime happening now?",
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages=errors.SAFETY["danger"],
    )


class CategoryForm(StepForm):
    category = forms.ChoiceField(
        label="What kind of anti-social behaviour is it?",
        choices=[(c.code, c.label) for c in CATEGORIES],
        error_messages=errors.CATEGORY["category"],
    )
    hints = {c.code: c.explanation for c in CATEGORIES}


class QualifierForm(StepForm):
    qualifier = forms.ChoiceField(
        label="Who or what is it aimed at?",
        choices=[(q.code, q.question) for q in QUALIFIERS],
        error_messages=errors.QUALIFIER["qualifier"],
    )


class WhereForm(StepForm):
    """Where it happened: a place from the search, a point (map, location, typed), or words.

    ``places`` are the search results kept in the session: [{label, latitude, longitude}].
    A point outside London is refused and forgotten: the form shown again does not carry it.
    """

    messages = errors.WHERE
    query = forms.CharField(
        label="Search for an address, street, postcode or place",
        required=False,
        max_length=200,
        error_messages=messages["query"],
    )
    place = forms.ChoiceField(
        label="Choose the place", required=False, choices=(), error_messages=messages["place"]
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        error_messages=messages["latitude"],
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        min_value=-180,
        max_value=180,
        error_messages=messages["longitude"],
    )
    # Set by the page's script, never typed: anything unknown is ignored, never an error.
    location_source = forms.Field(required=False, widget=forms.HiddenInput)
    location_description = forms.CharField(
        label="Describe the place",
        help_text=(
            "For example, the street and the nearest building, shop or bus stop, or which "
            "part of a park or estate."
        ),
        required=False,
        max_length=PLACE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=messages["location_description"],
    )
    borough = forms.ChoiceField(
        label="Which London borough is it in?",
        required=False,
        help_text="Only needed if you describe the place instead of finding it.",
        error_messages=messages["borough"],
    )

    def __init__(self, *args, places: list[dict] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.places = places or []
        self.fields["place"].choices = [
            (str(index), place["label"]) for index, place in enumerate(self.places)
        ]
        self.fields["borough"].choices = [("", "Choose a borough")] + [
            (area.code, area.name) for area in boroughs()
        ]
        self.route_code: str | None = None

    def clean_location_source(self) -> str:
        value = self.cleaned_data.get("location_source")
        return value if isinstance(value, str) and value in POINT_SOURCES else ""

    def clean(self):
        data = super().clean()
        if "place" in self._errors and not self.places:  # no list on the page to link to
            self.add_error("query", self._errors.pop("place"))
        if self.errors:
            return data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        place = data.get("place")
        description = (data.get("location_description") or "").strip()
        if place not in (None, ""):
            chosen = self.places[int(place)]
            latitude, longitude = chosen["latitude"], chosen["longitude"]
            data["location_source"] = LocationSource.SEARCH
        elif latitude is not None and longitude is not None:
            if not data.get("location_source"):
                data["location_source"] = LocationSource.COORDINATES
        elif latitude is not None or longitude is not None:
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, self.messages[missing]["missing"])
            return data
        elif description:
            data["location_source"] = LocationSource.DESCRIPTION
            if not data.get("borough"):
                self.add_error("borough", self.messages["borough"]["missing"])
            return data
        else:
            raise forms.ValidationError(self.messages["__all__"]["no_place"], code="no_place")
        self.route_code = borough_for(latitude, longitude)
        if self.route_code is None:
            self.forget_point()
            raise forms.ValidationError(
                self.messages["__all__"]["outside_london"], code="outside_london"
            )
        data["latitude"], data["longitude"] = round(latitude, 6), round(longitude, 6)
        return data

    def forget_point(self) -> None:
        """Drop the point (and the chosen place) from what the page shows again."""
        data = self.data.copy()
        for name in ("latitude", "longitude", "location_source", "place"):
            data[self.add_prefix(name)] = ""
        self.data = data

    def point(self) -> tuple[float, float] | None:
        """The point the page shows (as bound, or as stored), or None."""
        source = self.data if self.is_bound else self.initial
        try:
            latitude = float(source.get("latitude") or "")
            longitude = float(source.get("longitude") or "")
        except (TypeError, ValueError):
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None  # also refuses nan and inf
        return latitude, longitude

    def stored_data(self) -> dict:
        data = self.cleaned_data
        has_point = data.get("latitude") is not None
        return {
            "latitude": str(data["latitude"]) if has_point else "",
            "longitude": str(data["longitude"]) if has_point else "",
            "location_source": data.get("location_source") or "",
            "location_description": (data.get("location_description") or "").strip(),
            "borough": "" if has_point else data.get("borough", ""),
        }


TIME_RE = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)
NUMBER_RE = re.compile(r"[0-9]+")
DATE_PARTS = ("day", "month", "year")


def parse_time(text: str) -> time | None:
    """'21:30', '9:30pm', '9pm', '12am' -> time; '' -> None; nonsense -> ValueError."""
    text = text.strip().lower()
    if not text:
        return None
    if text in ("midday", "noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = TIME_RE.match(text)
    if not match:
        raise ValueError(text)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    return time(hour, minute)


class WhenForm(StepForm):
    messages = errors.WHEN
    when = forms.ChoiceField(
        label="When did it happen?",
        choices=[
            ("date", "On a particular day"),
            ("ongoing", "It is still happening, or it keeps happening"),
        ],
        error_messages=messages["when"],
    )
    day = forms.CharField(label="Day", required=False, max_length=2, error_messages=messages["day"])
    month = forms.CharField(
        label="Month", required=False, max_length=2, error_messages=messages["month"]
    )
    year = forms.CharField(
        label="Year", required=False, max_length=4, error_messages=messages["year"]
    )
    time_of_day = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=20,
        help_text="For example, 9:30pm or 21:30. Leave blank if you are not sure.",
        error_messages=messages["time_of_day"],
    )

    def clean(self):
        data = super().clean()
        data["occurred_on"] = None
        data["occurred_time"] = None
        if data.get("when") != "date":
            for name in (*DATE_PARTS, "time_of_day"):  # not a particular day: not asked
                self._errors.pop(name, None)
            return data
        if any(name in self._errors for name in DATE_PARTS):
            return data
        occurred = self._occurred_on({name: (data.get(name) or "").strip() for name in DATE_PARTS})
        if occurred is None:
            return data
        today = timezone.localdate()
        if occurred > today:
            self.add_error("day", self.messages["day"]["future"])
        elif (today - occurred).days > 366:
            self.add_error("day", self.messages["day"]["too_old"])
        data["occurred_on"] = occurred
        if "time_of_day" not in self._errors:
            try:
                data["occurred_time"] = parse_time(data.get("time_of_day") or "")
            except ValueError:
                self.add_error("time_of_day", self.messages["time_of_day"]["invalid"])
        return data

    def _occurred_on(self, parts: dict[str, str]) -> date | None:
        """The date typed, or None with the error on the first part that is wrong."""
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == len(DATE_PARTS):
            self.add_error("day", self.messages["day"]["missing_all"])
            return None
        if missing:
            self.add_error(missing[0], self.messages[missing[0]]["missing"])
            return None
        for name, value in parts.items():
            if not NUMBER_RE.fullmatch(value):
                self.add_error(name, self.messages[name]["invalid"])
                return None
        if len(parts["year"]) != 4:
            self.add_error("year", self.messages["year"]["short"])
            return None
        if not 1 <= int(parts["month"]) <= 12:
            self.add_error("month", self.messages["month"]["invalid"])
            return None
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("day", self.messages["day"]["invalid"])
            return None


class HistoryForm(StepForm):
    how_often = question_field("how_often")
    reported_before = question_field("reported_before")
    earlier_references = forms.CharField(
        label="Earlier reference numbers (optional)",
        help_text=(
            "Police CAD or crime reference numbers, or council case numbers, if you have them."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=errors.HISTORY["earlier_references"],
    )


class DetailsForm(StepForm):
    description = forms.CharField(
        label="What happened?",
        help_text=(
            "Tell us what you saw or heard, and how it affects you. Do not include your own "
            "contact details here."
        ),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=errors.DETAILS["description"],
    )
    people_involved = forms.CharField(
        label="People or vehicles involved (optional)",
        help_text="For example, what they looked like, what they wore, or a number plate.",
        required=False,
        max_length=PEOPLE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=errors.DETAILS["people_involved"],
    )

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if len(value) < DESCRIPTION_MIN:
            raise forms.ValidationError(
                errors.DETAILS["description"]["too_short"], code="too_short"
            )
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each checked by FileField, the list returned."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PhotosForm(forms.Form):
    """Not stored in the session like the others: photos become PendingUpload rows."""

    photos = MultipleFileField(
        label="Add photos (optional)",
        required=False,
        max_length=255,
        error_messages=errors.PHOTOS["photos"],
    )

    def __init__(self, *args, already: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.already = already

    def clean_photos(self) -> list:
        files = self.cleaned_data.get("photos") or []
        if len(files) + self.already > MAX_PHOTOS:
            raise forms.ValidationError(errors.PHOTOS["photos"]["too_many"], code="too_many")
        return files


class ImpactForm(StepForm):
    effects = question_field("effects")
    unsafe_at_home = question_field("unsafe_at_home")

    def clean_effects(self) -> list[str]:
        return clean_exclusive(self, "effects")


class VulnerabilityForm(StepForm):
    targeted = question_field("targeted")
    health_worsened = question_field("health_worsened")
    vulnerable_people = question_field("vulnerable_people")

    def clean_targeted(self) -> list[str]:
        return clean_exclusive(self, "targeted")


class ContactForm(StepForm):
    messages = errors.CONTACT
    contact_me = forms.ChoiceField(
        label="Can we contact you about your report?",
        choices=[
            ("yes", "Yes, I will give my contact details"),
            ("no", "No, I want to report anonymously"),
        ],
        error_messages=messages["contact_me"],
    )
    name = forms.CharField(
        label="Your name", required=False, max_length=200, error_messages=messages["name"]
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="We will send your reference and updates here.",
        max_length=EMAIL_MAX,
        error_messages=messages["email"],
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        help_text="For international numbers include the country code.",
        error_messages=messages["phone"],
    )
    preferred_method = forms.ChoiceField(
        label="How would you prefer us to contact you?",
        choices=ReportContact.Method.choices,
        required=False,
        error_messages=messages["preferred_method"],
    )
    contact_times = forms.CharField(
        label="When is it best to contact you? (optional)",
        help_text="For example, weekday evenings after 6pm.",
        required=False,
        max_length=200,
        error_messages=messages["contact_times"],
    )
    safe_to_contact = forms.ChoiceField(
        label="Is it safe for us to contact you?",
        help_text=(
            "For example, it may not be safe if the person causing the problem lives with "
            "you or can see your messages."
        ),
        choices=[("yes", "Yes"), ("no", "No, or only in certain ways")],
        required=False,
        error_messages=messages["safe_to_contact"],
    )
    safety_notes = forms.CharField(
        label="Tell us how we can contact you safely (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=messages["safety_notes"],
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and (
            not re.fullmatch(r"[0-9 +()\-]{7,40}", phone) or len(re.sub(r"\D", "", phone)) < 10
        ):
            raise forms.ValidationError(self.messages["phone"]["invalid"], code="invalid")
        return phone

    DETAIL_FIELDS = (
        "name",
        "email",
        "phone",
        "preferred_method",
        "contact_times",
        "safe_to_contact",
        "safety_notes",
    )

    def clean(self):
        data = super().clean()
        if data.get("contact_me") != "yes":
            for name in self.DETAIL_FIELDS:  # anonymous: whatever was typed is dropped
                if name in self._errors:
                    del self._errors[name]
                data[name] = ""
            return data
        email, phone = data.get("email"), data.get("phone")
        if not email and not phone and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", self.messages["email"]["missing"])
        method = data.get("preferred_method")
        if method == "email" and not email and "email" not in self.errors and phone:
            self.add_error("email", self.messages["email"]["for_method"])
        if method == "phone" and not phone and "phone" not in self.errors and email:
            self.add_error("phone", self.messages["phone"]["for_method"])
        if not data.get("safe_to_contact") and "safe_to_contact" not in self.errors:
            self.add_error("safe_to_contact", self.messages["safe_to_contact"]["missing"])
        return data

    def stored_data(self) -> dict:
        if self.cleaned_data.get("contact_me") != "yes":
            return {"contact_me": "no"}  # nothing personal kept for an anonymous report
        return super().stored_data()


AGE_BANDS = [
    ("under_18", "Under 18"),
    ("18_24", "18 to 24"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_64", "55 to 64"),
    ("65_plus", "65 or over"),
]
PREFER_NOT = ("prefer_not", "Prefer not to say")


def equality_field(name: str, label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[*choices, PREFER_NOT],
        required=False,
        error_messages=errors.EQUALITY[name],
    )


class EqualityForm(StepForm):
    """Optional, anonymous equality monitoring (Census 2021 categories)."""

    age_band = equality_field("age_band", "What is your age?", AGE_BANDS)
    sex = equality_field("sex", "What is your sex?", [("female", "Female"), ("male", "Male")])
    gender_same_as_birth = equality_field(
        "gender_same_as_birth",
        "Is the gender you identify with the same as your sex registered at birth?",
        [("yes", "Yes"), ("no", "No")],
    )
    ethnic_group = equality_field(
        "ethnic_group",
        "What is your ethnic group?",
        [
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
        ],
    )
    disability = equality_field(
        "disability",
        "Do you have a physical or mental health condition or illness lasting, or expected "
        "to last, 12 months or more?",
        [("yes", "Yes"), ("no", "No")],
    )
    religion = equality_field(
        "religion",
        "What is your religion?",
        [
            ("none", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Any other religion"),
        ],
    )
    sexual_orientation = equality_field(
        "sexual_orientation",
        "Which of the following best describes your sexual orientation?",
        [
            ("straight", "Straight or heterosexual"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
        ],
    )


class SubmitForm(forms.Form):
    """The last step: a honeypot field that people never see (bots fill it)."""

    website = forms.CharField(required=False, max_length=200)


class FindReportForm(forms.Form):
    reference = forms.CharField(
        label="Report reference",
        help_text="For example, ASB-7K3M-9QX2",
        max_length=30,
        error_messages=errors.FIND["reference"],
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The email address you gave when you reported it.",
        max_length=EMAIL_MAX,
        error_messages=errors.FIND["email"],
    )

    def clean_reference(self) -> str:
        """Only its form is checked here: whether it exists is never said."""
        reference = self.cleaned_data["reference"]
        if not normalise_reference(reference):
            raise forms.ValidationError(errors.FIND["reference"]["invalid"], code="invalid")
        return reference


class AddInformationForm(forms.Form):
    information = forms.CharField(
        label="Add more information",
        help_text="For example, if it has happened again or something has changed.",
        max_length=INFO_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=errors.ADD_INFORMATION["information"],
    )


class StaffFilterForm(forms.Form):
    """The report list's filters. Open reports unless asked otherwise; a status, when
    chosen, is more specific than "Show" and wins. Sorted by when each is due, soonest
    first, unless a column heading asked otherwise (kept in a hidden field)."""

    SHOW_CHOICES = [("open", "Open reports"), ("closed", "Closed reports"), ("all", "All reports")]
    SORT_CHOICES = [
        ("due", "Due soonest first"),
        ("-due", "Due latest first"),
        ("-received", "Newest first"),
        ("received", "Oldest first"),
    ]

    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False, label="Show")
    risk = forms.ChoiceField(choices=[("", "Any risk"), *RiskLevel.choices], required=False)
    category = forms.ChoiceField(
        choices=[("", "Any category")] + [(c.code, c.label) for c in CATEGORIES], required=False
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    team = forms.ChoiceField(choices=[("", "Any team")], required=False, label="SN team")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, teams: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [
            ("", "Any team"),
            *teams,
            ("none", "No team (borough only)"),
        ]

    def clean(self):
        data = super().clean()
        data["show"] = data.get("show") or "open"
        data["sort"] = data.get("sort") or "due"
        return data


class AccessLogFilterForm(forms.Form):
    reference = forms.CharField(required=False, max_length=30, label="Report reference")
    username = forms.CharField(required=False, max_length=150, label="Staff user name")
    what = forms.ChoiceField(
        choices=[("", "Anything"), *AccessLog.What.choices], required=False, label="What"
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label="New status")
    message = forms.CharField(
        label="Message to the resident",
        help_text=(
            "Plain words the resident will read on their timeline (and by email). When "
            "closing, say what was done: the outcome."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.CLOSED and not (data.get("message") or "").strip():
            self.add_error("message", "Say what the outcome was, in plain words")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Internal note",
        help_text="Only staff see notes; the resident never does.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CallbackForm(forms.Form):
    told_action = forms.ChoiceField(
        label="When you reported it, were you told what action would be taken?",
        choices=CallbackSurvey.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages=errors.CALLBACK["told_action"],
    )
    seriousness = forms.ChoiceField(
        label="How seriously do you think your report was taken?",
        choices=CallbackSurvey.Seriousness.choices,
        widget=forms.RadioSelect,
        error_messages=errors.CALLBACK["seriousness"],
    )
    know_action = forms.ChoiceField(
        label="Do you know what action was taken?",
        choices=CallbackSurvey.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages=errors.CALLBACK["know_action"],
    )
    satisfaction = forms.ChoiceField(
        label="Overall, how satisfied are you with how your report was dealt with?",
        choices=CallbackSurvey.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages=errors.CALLBACK["satisfaction"],
    )
