"""One Django form per step of the report flow, and the forms of tracking and staff triage.

Every form can give back the data it was bound with (:meth:`StepForm.stored_data`) so the
flow keeps answers in the session and validates them all again at submit.
"""

from __future__ import annotations

import re
from datetime import date, time

from django import forms
from django.utils import timezone

from geography.boundaries import borough_for, boroughs
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

DESCRIPTION_MAX = 5000
PEOPLE_MAX = 2000
PLACE_MAX = 1000
INFO_MAX = 3000
# As long as the model's column (longer would not fit, and cannot be anyone's address).
EMAIL_MAX = ReportContact._meta.get_field("email").max_length
EMAIL_TOO_LONG = f"Enter an email address of {EMAIL_MAX} characters or fewer"
OUTSIDE_LONDON_MESSAGE = (
    "That place is outside London. Report anti-social behaviour there to the local council "
    "or to the police force for that area by calling 101."
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


def choice_messages(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


def question_field(key: str, **kwargs) -> forms.Field:
    question = QUESTION_BY_KEY[key]
    messages = choice_messages(f"Select an answer: {question.text[0].lower()}{question.text[1:]}")
    if question.multiple:
        messages = choice_messages("Select all that apply, or ‘" + question.options[-1].label + "’")
        return forms.MultipleChoiceField(
            choices=question.choices,
            label=question.text,
            help_text=question.hint,
            error_messages=messages,
            **kwargs,
        )
    return forms.ChoiceField(
        choices=question.choices,
        label=question.text,
        help_text=question.hint,
        error_messages=messages,
        **kwargs,
    )


def clean_exclusive(form: forms.Form, key: str) -> list[str]:
    values = form.cleaned_data.get(key) or []
    question = QUESTION_BY_KEY[key]
    exclusive = {o.value for o in question.options if o.exclusive}
    if len(values) > 1 and exclusive & set(values):
        label = next(o.label for o in question.options if o.exclusive)
        raise forms.ValidationError(f"Select ‘{label}’ on its own, or the ones that apply")
    return values


class SafetyForm(StepForm):
    danger = forms.ChoiceField(
        label="Is anyone in immediate danger, or is a crime happening now?",
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages=choice_messages("Select yes if anyone is in danger or a crime is happening"),
    )


class CategoryForm(StepForm):
    category = forms.ChoiceField(
        label="What kind of anti-social behaviour is it?",
        choices=[(c.code, c.label) for c in CATEGORIES],
        error_messages=choice_messages("Select the kind of anti-social behaviour"),
    )
    hints = {c.code: c.explanation for c in CATEGORIES}


class QualifierForm(StepForm):
    qualifier = forms.ChoiceField(
        label="Who or what is it aimed at?",
        choices=[(q.code, q.question) for q in QUALIFIERS],
        error_messages=choice_messages("Select who or what it is aimed at"),
    )


class WhereForm(StepForm):
    """Where it happened: a place from the search, a point (map, location, typed), or words.

    ``places`` are the search results kept in the session: [{label, latitude, longitude}].
    """

    query = forms.CharField(
        label="Search for an address, street, postcode or place",
        required=False,
        max_length=200,
    )
    place = forms.ChoiceField(label="Choose the place", required=False, choices=())
    latitude = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)
    location_source = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    location_description = forms.CharField(
        label="Describe the place",
        help_text=(
            "For example, the street and the nearest building, shop or bus stop, or which "
            "part of a park or estate."
        ),
        required=False,
        max_length=PLACE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    borough = forms.ChoiceField(
        label="Which London borough is it in?",
        required=False,
        help_text="Only needed if you describe the place instead of finding it.",
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

    def clean(self):
        data = super().clean()
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
            if data.get("location_source") not in (
                LocationSource.MAP,
                LocationSource.GEOLOCATION,
                LocationSource.SEARCH,
            ):
                data["location_source"] = LocationSource.COORDINATES
        elif latitude is not None or longitude is not None:
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, f"Enter the {missing} as well, or leave both blank")
            return data
        elif description:
            data["location_source"] = LocationSource.DESCRIPTION
            if not data.get("borough"):
                self.add_error("borough", "Select the borough where it happened")
            return data
        else:
            raise forms.ValidationError(
                "Search for the place, put a pin on the map, or describe where it happened",
                code="no_place",
            )
        self.route_code = borough_for(latitude, longitude)
        if self.route_code is None:
            raise forms.ValidationError(OUTSIDE_LONDON_MESSAGE, code="outside_london")
        data["latitude"], data["longitude"] = round(latitude, 6), round(longitude, 6)
        return data

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
    when = forms.ChoiceField(
        label="When did it happen?",
        choices=[
            ("date", "On a particular day"),
            ("ongoing", "It is still happening, or it keeps happening"),
        ],
        error_messages=choice_messages("Select when it happened"),
    )
    day = forms.CharField(label="Day", required=False, max_length=2)
    month = forms.CharField(label="Month", required=False, max_length=2)
    year = forms.CharField(label="Year", required=False, max_length=4)
    time_of_day = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=20,
        help_text="For example, 9:30pm or 21:30. Leave blank if you are not sure.",
    )

    def clean(self):
        data = super().clean()
        data["occurred_on"] = None
        data["occurred_time"] = None
        if data.get("when") != "date":
            return data
        parts = {name: (data.get(name) or "").strip() for name in ("day", "month", "year")}
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == 3:
            self.add_error("day", "Enter the date it happened")
            return data
        if missing:
            self.add_error(missing[0], f"The date must include a {missing[0]}")
            return data
        try:
            occurred = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("day", "The date must be a real date, for example 27 3 2026")
            return data
        today = timezone.localdate()
        if occurred > today:
            self.add_error("day", "The date must be today or in the past")
        elif (today - occurred).days > 366:
            self.add_error("day", "The date must be within the last year")
        data["occurred_on"] = occurred
        try:
            data["occurred_time"] = parse_time(data.get("time_of_day") or "")
        except ValueError:
            self.add_error("time_of_day", "Enter a time like 9:30pm or 21:30, or leave it blank")
        return data


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
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {DESCRIPTION_MAX} characters or fewer",
        },
    )
    people_involved = forms.CharField(
        label="People or vehicles involved (optional)",
        help_text="For example, what they looked like, what they wore, or a number plate.",
        required=False,
        max_length=PEOPLE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"People or vehicles involved must be {PEOPLE_MAX} characters or fewer"
        },
    )

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if len(value) < 10:
            raise forms.ValidationError("Tell us a little more about what happened")
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

    photos = MultipleFileField(label="Add photos (optional)", required=False)

    def __init__(self, *args, already: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.already = already

    def clean_photos(self) -> list:
        files = self.cleaned_data.get("photos") or []
        if len(files) + self.already > MAX_PHOTOS:
            raise forms.ValidationError(f"You can add up to {MAX_PHOTOS} photos")
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
    contact_me = forms.ChoiceField(
        label="Can we contact you about your report?",
        choices=[
            ("yes", "Yes, I will give my contact details"),
            ("no", "No, I want to report anonymously"),
        ],
        error_messages=choice_messages("Select if we can contact you"),
    )
    name = forms.CharField(label="Your name", required=False, max_length=200)
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="We will send your reference and updates here.",
        max_length=EMAIL_MAX,
        error_messages={
            "invalid": "Enter an email address like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        help_text="For international numbers include the country code.",
    )
    preferred_method = forms.ChoiceField(
        label="How would you prefer us to contact you?",
        choices=ReportContact.Method.choices,
        required=False,
    )
    contact_times = forms.CharField(
        label="When is it best to contact you? (optional)",
        help_text="For example, weekday evenings after 6pm.",
        required=False,
        max_length=200,
    )
    safe_to_contact = forms.ChoiceField(
        label="Is it safe for us to contact you?",
        help_text=(
            "For example, it may not be safe if the person causing the problem lives with "
            "you or can see your messages."
        ),
        choices=[("yes", "Yes"), ("no", "No, or only in certain ways")],
        required=False,
    )
    safety_notes = forms.CharField(
        label="Tell us how we can contact you safely (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not re.fullmatch(r"[0-9 +()\-]{7,40}", phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        if phone and len(re.sub(r"\D", "", phone)) < 10:
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
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
            self.add_error("email", "Enter an email address or a phone number")
        method = data.get("preferred_method")
        if method == "email" and not email and "email" not in self.errors and phone:
            self.add_error("email", "Enter an email address, or choose to be contacted by phone")
        if method == "phone" and not phone and "phone" not in self.errors and email:
            self.add_error("phone", "Enter a phone number, or choose to be contacted by email")
        if not data.get("safe_to_contact"):
            self.add_error("safe_to_contact", "Select if it is safe for us to contact you")
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


def equality_field(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[*choices, PREFER_NOT], required=False)


class EqualityForm(StepForm):
    """Optional, anonymous equality monitoring (Census 2021 categories)."""

    age_band = equality_field("What is your age?", AGE_BANDS)
    sex = equality_field("What is your sex?", [("female", "Female"), ("male", "Male")])
    gender_same_as_birth = equality_field(
        "Is the gender you identify with the same as your sex registered at birth?",
        [("yes", "Yes"), ("no", "No")],
    )
    ethnic_group = equality_field(
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
        "Do you have a physical or mental health condition or illness lasting, or expected "
        "to last, 12 months or more?",
        [("yes", "Yes"), ("no", "No")],
    )
    religion = equality_field(
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
        error_messages=choice_messages("Enter your report reference"),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The email address you gave when you reported it.",
        max_length=EMAIL_MAX,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
    )


class AddInformationForm(forms.Form):
    information = forms.CharField(
        label="Add more information",
        help_text="For example, if it has happened again or something has changed.",
        max_length=INFO_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the information you want to add",
            "max_length": f"The information must be {INFO_MAX} characters or fewer",
        },
    )


class StaffFilterForm(forms.Form):
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

    def __init__(self, *args, teams: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [
            ("", "Any team"),
            *teams,
            ("none", "No team (borough only)"),
        ]


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
        error_messages={"required": "Select whether you were told what action would be taken"},
    )
    seriousness = forms.ChoiceField(
        label="How seriously do you think your report was taken?",
        choices=CallbackSurvey.Seriousness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how seriously your report was taken"},
    )
    know_action = forms.ChoiceField(
        label="Do you know what action was taken?",
        choices=CallbackSurvey.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you know what action was taken"},
    )
    satisfaction = forms.ChoiceField(
        label="Overall, how satisfied are you with how your report was dealt with?",
        choices=CallbackSurvey.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are"},
    )
