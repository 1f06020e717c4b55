"""Every way each field of the resident's forms can fail has its own message, in plain
words (reporting/error_messages.py), shown in the GOV.UK error summary with a link to the
field, next to the field, and with "Error: " before the page title."""

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from reporting import error_messages
from reporting.forms import AddInformationForm, CallbackForm, FindReportForm
from reporting.models import Report
from reporting.wizard import STEPS
from tests.reporting.conftest import fill_flow
from tests.reporting.test_ids_and_photos import image_bytes

pytestmark = pytest.mark.django_db

RESIDENT_FORMS = [step.form_class for step in STEPS] + [
    FindReportForm,
    AddInformationForm,
    CallbackForm,
]


def _ours() -> set[str]:
    found = set()
    for value in vars(error_messages).values():
        if isinstance(value, dict):
            for messages in value.values():
                if isinstance(messages, dict):
                    found.update(messages.values())
    return found


def _ways_to_fail(field: forms.Field) -> list[str]:
    codes = []
    if field.required:
        codes.append("required")
    if isinstance(field, forms.ChoiceField):
        codes.append("invalid_choice")
    if isinstance(field, forms.MultipleChoiceField):
        codes.append("invalid_list")
    if isinstance(field, forms.CharField):
        codes.append("null_characters_not_allowed")
    if getattr(field, "max_length", None):
        codes.append("max_length")
    if isinstance(field, forms.EmailField | forms.FloatField | forms.FileField):
        codes.append("invalid")
    if isinstance(field, forms.FloatField):
        codes += [code for code in ("min_value", "max_value") if getattr(field, code) is not None]
    if isinstance(field, forms.FileField):
        codes += ["missing", "empty"]
    return codes


@pytest.mark.parametrize("form_class", RESIDENT_FORMS, ids=lambda cls: cls.__name__)
def test_every_way_a_field_can_fail_has_our_own_words(form_class):
    ours = _ours()
    form = form_class()
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue  # set by the page's script; never an error (see WhereForm)
        for code in _ways_to_fail(field):
            message = field.error_messages.get(code)
            assert message in ours, f"{form_class.__name__}.{name}: {code} is {message!r}"


def page_title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def assert_shows_error(response, message: str, anchor: str) -> None:
    """The message is in the error summary linked to the field, and by the field."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert page_title(body).startswith("Error: "), page_title(body)
    summary = body[body.index('class="govuk-error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert f'<a href="#{anchor}">{escape(message)}</a>' in summary, (message, summary)
    assert re.search(
        r'class="govuk-error-message"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span> '
        + re.escape(escape(message)),
        body,
    ), message


TODAY = timezone.localdate()
THIS_YEAR = str(TODAY.year)
A_DATE = {"when": "date", "day": str(TODAY.day), "month": str(TODAY.month), "year": THIS_YEAR}
IN_LONDON = {"latitude": "51.545", "longitude": "-0.0553", "location_source": "map"}

# (step, data posted, id of the field the summary links to, message)
STEP_CASES = [
    ("safety", {}, "id_danger", "Select yes if anyone is in danger or a crime is happening now"),
    ("safety", {"danger": "maybe"}, "id_danger", error_messages.SAFETY["danger"]["required"]),
    ("category", {}, "id_category", "Select the kind of anti-social behaviour"),
    ("category", {"category": "hoax"}, "id_category", "Select the kind of anti-social behaviour"),
    ("qualifier", {}, "id_qualifier", "Select who or what it is aimed at"),
    ("qualifier", {"qualifier": "x"}, "id_qualifier", "Select who or what it is aimed at"),
    (
        "where",
        {},
        "id_query",
        "Search for the place, put a pin on the map, or describe where it happened",
    ),
    (
        "where",
        {"action": "search", "query": "  "},
        "id_query",
        "Enter an address, street, postcode or place to search for",
    ),
    (
        "where",
        {"query": "x" * 201, **IN_LONDON},
        "id_query",
        "What you search for must be 200 characters or fewer",
    ),
    (
        "where",
        {"place": "7"},  # a list the session no longer has: the search is the way on
        "id_query",
        "Select one of the places we found, or search again",
    ),
    (
        "where",
        {"latitude": "north", "longitude": "-0.1"},
        "id_latitude",
        "Latitude must be a number, like 51.5072",
    ),
    (
        "where",
        {"latitude": "nan", "longitude": "-0.1"},
        "id_latitude",
        "Latitude must be a number, like 51.5072",
    ),
    (
        "where",
        {"latitude": "51.5", "longitude": "west"},
        "id_longitude",
        "Longitude must be a number, like -0.1276",
    ),
    (
        "where",
        {"latitude": "95", "longitude": "-0.1"},
        "id_latitude",
        "Latitude must be a number between -90 and 90, like 51.5072",
    ),
    (
        "where",
        {"latitude": "51.5", "longitude": "-200"},
        "id_longitude",
        "Longitude must be a number between -180 and 180, like -0.1276",
    ),
    (
        "where",
        {"latitude": "51.5"},
        "id_longitude",
        "Enter the longitude as well, or leave both longitude and latitude blank",
    ),
    (
        "where",
        {"longitude": "-0.1"},
        "id_latitude",
        "Enter the latitude as well, or leave both latitude and longitude blank",
    ),
    (
        "where",
        {"location_description": "x" * 1001, "borough": "E09000012"},
        "id_location_description",
        "Description of the place must be 1000 characters or fewer",
    ),
    (
        "where",
        {"location_description": "By the bus stop\x00", "borough": "E09000012"},
        "id_location_description",
        "Description of the place contains a character we cannot accept. Type it again "
        "instead of pasting it",
    ),
    (
        "where",
        {"location_description": "Behind the library"},
        "id_borough",
        "Select the borough where it happened",
    ),
    (
        "where",
        {"location_description": "Behind the library", "borough": "E0999"},
        "id_borough",
        "Select the borough where it happened",
    ),
    (
        "where",
        {"latitude": "51.6565", "longitude": "-0.3903"},
        "id_query",
        error_messages.OUTSIDE_LONDON_MESSAGE,
    ),
    ("when", {}, "id_when", "Select when it happened"),
    ("when", {"when": "sometime"}, "id_when", "Select when it happened"),
    ("when", {"when": "date"}, "id_day", "Enter the date it happened, for example 27 3 2026"),
    (
        "when",
        {**A_DATE, "day": ""},
        "id_day",
        "Date it happened must include a day",
    ),
    ("when", {**A_DATE, "month": ""}, "id_month", "Date it happened must include a month"),
    ("when", {**A_DATE, "year": ""}, "id_year", "Date it happened must include a year"),
    ("when", {**A_DATE, "day": "aa"}, "id_day", error_messages.DATE_REAL),
    ("when", {**A_DATE, "day": "123"}, "id_day", error_messages.DATE_REAL),
    ("when", {**A_DATE, "month": "13"}, "id_month", error_messages.DATE_REAL),
    ("when", {**A_DATE, "month": "½"}, "id_month", error_messages.DATE_REAL),
    (
        "when",
        {"when": "date", "day": "31", "month": "2", "year": THIS_YEAR},
        "id_day",
        error_messages.DATE_REAL,
    ),
    ("when", {**A_DATE, "year": "26"}, "id_year", "Year must include 4 numbers, for example 2026"),
    (
        "when",
        {**A_DATE, "year": "20266"},
        "id_year",
        "Year must include 4 numbers, for example 2026",
    ),
    (
        "when",
        {**A_DATE, "year": str(TODAY.year + 1)},
        "id_day",
        "Date it happened must be today or in the past",
    ),
    (
        "when",
        {**A_DATE, "year": str(TODAY.year - 2)},
        "id_day",
        "Date it happened must be within the last year. If it has gone on for longer, give "
        "the most recent date",
    ),
    (
        "when",
        {**A_DATE, "time_of_day": "25:99"},
        "id_time_of_day",
        "Enter a time like 9:30pm or 21:30, or leave it blank",
    ),
    (
        "when",
        {**A_DATE, "time_of_day": "9" * 21},
        "id_time_of_day",
        "Enter a time like 9:30pm or 21:30, or leave it blank",
    ),
    (
        "history",
        {"reported_before": "no"},
        "id_how_often",
        "Select how often this has happened, or that it is the first time",
    ),
    (
        "history",
        {"how_often": "weekly"},
        "id_reported_before",
        "Select if you have reported this problem before",
    ),
    (
        "history",
        {"how_often": "weekly", "reported_before": "no", "earlier_references": "1" * 501},
        "id_earlier_references",
        "Earlier reference numbers must be 500 characters or fewer",
    ),
    ("details", {}, "id_description", "Enter what happened"),
    ("details", {"description": "   "}, "id_description", "Enter what happened"),
    (
        "details",
        {"description": "noise"},
        "id_description",
        "Tell us a little more about what happened, in at least 10 characters",
    ),
    (
        "details",
        {"description": "x" * 5001},
        "id_description",
        "What happened must be 5000 characters or fewer",
    ),
    (
        "details",
        {"description": "Shouting every night.", "people_involved": "x" * 2001},
        "id_people_involved",
        "People or vehicles involved must be 2000 characters or fewer",
    ),
    (
        "impact",
        {"unsafe_at_home": "no"},
        "id_effects",
        "Select what it has affected, or ‘None of these’",
    ),
    (
        "impact",
        {"effects": ["sleep", "none"], "unsafe_at_home": "no"},
        "id_effects",
        "Select ‘None of these’ on its own, or only the things it has affected",
    ),
    (
        "impact",
        {"effects": ["sleep"]},
        "id_unsafe_at_home",
        "Select if it makes you feel unsafe in your own home",
    ),
    (
        "vulnerability",
        {"health_worsened": "no", "vulnerable_people": "no"},
        "id_targeted",
        "Select if you think you, or the person affected, were targeted because of who they "
        "are, or ‘No, or I do not know’",
    ),
    (
        "vulnerability",
        {"targeted": ["race", "no"], "health_worsened": "no", "vulnerable_people": "no"},
        "id_targeted",
        "Select ‘No, or I do not know’ on its own, or only the reasons that apply",
    ),
    (
        "vulnerability",
        {"targeted": ["no"], "vulnerable_people": "no"},
        "id_health_worsened",
        "Select if a health condition or disability has been made worse by this",
    ),
    (
        "vulnerability",
        {"targeted": ["no"], "health_worsened": "no"},
        "id_vulnerable_people",
        "Select if children or other vulnerable people are affected",
    ),
    ("contact", {}, "id_contact_me", "Select if we can contact you about your report"),
]

CONTACT = {"contact_me": "yes", "email": "ada@example.com", "safe_to_contact": "yes"}
STEP_CASES += [
    (
        "contact",
        {"contact_me": "yes", "safe_to_contact": "yes"},
        "id_email",
        "Enter an email address or a phone number",
    ),
    (
        "contact",
        {"contact_me": "yes", "email": "ada@example.com"},
        "id_safe_to_contact",
        "Select if it is safe for us to contact you",
    ),
    (
        "contact",
        {**CONTACT, "safe_to_contact": "perhaps"},
        "id_safe_to_contact",
        "Select if it is safe for us to contact you",
    ),
    ("contact", {**CONTACT, "email": "nope"}, "id_email", error_messages.EMAIL_FORMAT),
    (
        "contact",
        {**CONTACT, "email": "a" * 250 + "@example.com"},
        "id_email",
        "Enter an email address of 254 characters or fewer",
    ),
    ("contact", {**CONTACT, "phone": "abc"}, "id_phone", error_messages.PHONE_FORMAT),
    ("contact", {**CONTACT, "phone": "123 45"}, "id_phone", error_messages.PHONE_FORMAT),
    (
        "contact",
        {**CONTACT, "phone": "0" * 41},
        "id_phone",
        "Phone number must be 40 characters or fewer",
    ),
    (
        "contact",
        {**CONTACT, "email": "", "phone": "07700 900982", "preferred_method": "email"},
        "id_email",
        "Enter an email address, or choose to be contacted by phone",
    ),
    (
        "contact",
        {**CONTACT, "preferred_method": "phone"},
        "id_phone",
        "Enter a phone number, or choose to be contacted by email",
    ),
    (
        "contact",
        {**CONTACT, "preferred_method": "fax"},
        "id_preferred_method",
        "Select how you would prefer us to contact you",
    ),
    (
        "contact",
        {**CONTACT, "name": "A" * 201},
        "id_name",
        "Your name must be 200 characters or fewer",
    ),
    (
        "contact",
        {**CONTACT, "contact_times": "x" * 201},
        "id_contact_times",
        "When it is best to contact you must be 200 characters or fewer",
    ),
    (
        "contact",
        {**CONTACT, "safety_notes": "x" * 501},
        "id_safety_notes",
        "How we can contact you safely must be 500 characters or fewer",
    ),
    ("equality", {"age_band": "99"}, "id_age_band", "Select your age group, or leave it blank"),
    ("equality", {"religion": "jedi"}, "id_religion", "Select your religion, or leave it blank"),
]


@pytest.mark.parametrize(
    "slug,data,anchor,message", STEP_CASES, ids=[f"{c[0]}-{c[2]}" for c in STEP_CASES]
)
def test_each_step_error_is_shown_in_plain_words(client, slug, data, anchor, message):
    fill_flow(client, until=slug)
    posted = {"action": "continue", **data} if slug == "where" else data
    response = client.post(f"/report/step/{slug}/", posted)
    assert_shows_error(response, message, anchor)
    body = response.content.decode()
    for default in ("This field is required", "Enter a valid", "Select a valid choice"):
        assert default not in body


class TestPhotos:
    @pytest.fixture
    def at_photos(self, client):
        fill_flow(client, until="photos")
        return client

    def upload(self, client, *files):
        return client.post("/report/step/photos/", {"photos": list(files), "action": "upload"})

    def test_an_empty_file(self, at_photos):
        response = self.upload(at_photos, SimpleUploadedFile("a.jpg", b"", "image/jpeg"))
        body = response.content.decode()
        assert page_title(body).startswith("Error: ")
        assert '<a href="#id_photos">The selected photo is empty. Choose another photo</a>' in body

    def test_too_many(self, at_photos):
        files = [SimpleUploadedFile(f"{i}.jpg", image_bytes(), "image/jpeg") for i in range(4)]
        body = self.upload(at_photos, *files).content.decode()
        assert page_title(body).startswith("Error: ")
        assert "You can add up to 3 photos. Remove one to add another" in body


FIND_CASES = [
    ({"email": "ada@example.com"}, "id_reference", "Enter your report reference"),
    (
        {"reference": "ASB-7K3M-9QX2"},
        "id_email",
        "Enter the email address you gave with your report",
    ),
    (
        {"reference": "ASB-7K3M", "email": "ada@example.com"},
        "id_reference",
        error_messages.REFERENCE_FORMAT,
    ),
    (
        {"reference": "A" * 31, "email": "ada@example.com"},
        "id_reference",
        error_messages.REFERENCE_FORMAT,
    ),
    ({"reference": "ASB-7K3M-9QX2", "email": "ada@"}, "id_email", error_messages.EMAIL_FORMAT),
    (
        {"reference": "ASB-7K3M-9QX2", "email": "a" * 250 + "@example.com"},
        "id_email",
        "Enter an email address of 254 characters or fewer",
    ),
]


@pytest.mark.parametrize("data,anchor,message", FIND_CASES)
def test_find_your_report_errors(client, data, anchor, message):
    assert_shows_error(client.post("/report/find/", data), message, anchor)


def test_a_reference_as_people_type_it_is_accepted(client):
    response = client.post("/report/find/", {"reference": "asb 7k3m 9qx2", "email": "a@b.org"})
    assert response.status_code == 302


@pytest.fixture
def tracking_link(client, hackney):
    fill_flow(client)
    client.post("/report/check/", {"website": ""})
    body = client.get("/report/sent/").content.decode()
    start = body.index("/report/track/")
    return body[start : body.index("/", start + len("/report/track/")) + 1]


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Enter the information you want to add"),
        ("  \n ", "Enter the information you want to add"),
        ("x" * 3001, "The information you add must be 3000 characters or fewer"),
    ],
)
def test_add_information_errors(tracking_link, text, message):
    response = Client().post(tracking_link, {"information": text})
    assert_shows_error(response, message, "id_information")
    assert not Report.objects.get().events.filter(kind="resident_info").exists()


def _django_defaults() -> list[re.Pattern]:
    """Every default message of Django's form fields, as a pattern ("%(limit_value)d" and the
    like match anything)."""
    messages = set()
    for value in vars(forms.fields).values():
        if isinstance(value, type) and issubclass(value, forms.Field):
            for cls in value.__mro__:
                messages.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    patterns = []
    for message in messages:
        parts = re.split(r"%\(\w+\)[sdr]", message)
        if sum(len(part.strip()) for part in parts) < 8:
            continue  # a message that is all placeholder ("%(error)s") says nothing itself
        patterns.append(re.compile(".*?".join(re.escape(escape(part)) for part in parts)))
    return patterns


DJANGO_DEFAULTS = _django_defaults()


def _bad_answers(form_class) -> list[dict]:
    """Empty, then every field at once: a nonsense word, a null character, far too long."""
    fields = form_class().fields
    return [
        {},
        {name: "nonsense-value" for name in fields},
        {name: "a\x00b" for name in fields},
        {name: "9" * 6000 for name in fields},
    ]


def assert_no_django_default(body: str) -> None:
    assert "There is a problem" in body
    for pattern in DJANGO_DEFAULTS:
        assert not pattern.search(body), pattern.pattern


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.slug)
def test_django_default_messages_never_appear_on_any_step(client, step):
    fill_flow(client, until=step.slug)
    shown = 0
    for data in _bad_answers(step.form_class):
        posted = {**data, "action": "continue"} if step.slug in ("where", "photos") else data
        response = client.post(f"/report/step/{step.slug}/", posted)
        if response.status_code == 302:
            continue  # every field optional (equality, photos): nothing was wrong
        assert response.status_code == 200, response.status_code
        assert_no_django_default(response.content.decode())
        shown += 1
    if step.slug not in ("equality", "photos"):
        assert shown >= 2, "the step accepted nonsense"


@pytest.mark.parametrize("data", _bad_answers(FindReportForm))
def test_django_default_messages_never_appear_on_find_your_report(client, data):
    response = client.post("/report/find/", data)
    assert response.status_code == 200
    assert_no_django_default(response.content.decode())


@pytest.mark.parametrize("data", _bad_answers(AddInformationForm))
def test_django_default_messages_never_appear_on_tracking(tracking_link, data):
    response = Client().post(tracking_link, data)
    if data.get("information") == "nonsense-value":
        assert response.status_code == 302  # that is information, and it is added
        return
    assert response.status_code == 200
    assert_no_django_default(response.content.decode())
