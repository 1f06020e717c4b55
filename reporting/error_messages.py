"""Every error message of the resident's forms, written once, in the GOV.UK style: what went
wrong and how to put it right, in plain words, never Django's defaults.

One dict per form: field name -> error code -> message. The codes are Django's own
(``required``, ``invalid``, ``invalid_choice``, ``max_length``, ``min_value``,
``max_value``, ``null_characters_not_allowed``...) for the checks a field makes itself, and
our own for the checks a form's ``clean`` makes (``missing``, ``too_old``...). Limits are not
repeated here: Django fills ``%(limit_value)d`` from the field.
"""

from __future__ import annotations

from reporting.photos import MAX_PHOTOS

Messages = dict[str, dict[str, str]]

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
EMAIL_TOO_LONG = "Enter an email address of %(limit_value)d characters or fewer"
REFERENCE_FORMAT = "Enter your report reference in the correct format, like ASB-7K3M-9QX2"
OUTSIDE_LONDON_MESSAGE = (
    "That place is outside London. This service only covers the 33 London boroughs. Choose a "
    "place in London, or to report somewhere else, contact the local council or call the "
    "police on 101"
)


def choice(message: str) -> dict[str, str]:
    """Nothing chosen, or something that was never offered: the same words."""
    return {"required": message, "invalid_choice": message, "invalid_list": message}


def text(name: str, *, required: str | None = None) -> dict[str, str]:
    """A typed answer: too long, or with characters a form cannot keep."""
    messages = {
        "max_length": f"{name} must be %(limit_value)d characters or fewer",
        "null_characters_not_allowed": (
            f"{name} contains a character we cannot accept. Type it again instead of pasting it"
        ),
    }
    if required:
        messages["required"] = required
    return messages


SAFETY: Messages = {
    "danger": choice("Select yes if anyone is in danger or a crime is happening now"),
}

CATEGORY: Messages = {
    "category": choice("Select the kind of anti-social behaviour"),
}

QUALIFIER: Messages = {
    "qualifier": choice("Select who or what it is aimed at"),
}


def _coordinate(name: str, low: int, high: int, example: str) -> dict[str, str]:
    out_of_range = f"{name} must be a number between {low} and {high}, like {example}"
    other = "longitude" if name == "Latitude" else "latitude"
    return {
        "invalid": f"{name} must be a number, like {example}",
        "min_value": out_of_range,
        "max_value": out_of_range,
        "missing": f"Enter the {name.lower()} as well, or leave both {name.lower()} and "
        f"{other} blank",
    }


WHERE: Messages = {
    "query": text(
        "What you search for", required="Enter an address, street, postcode or place to search for"
    ),
    "place": choice("Select one of the places we found, or search again"),
    "latitude": _coordinate("Latitude", -90, 90, "51.5072"),
    "longitude": _coordinate("Longitude", -180, 180, "-0.1276"),
    "location_description": text("Description of the place"),
    "borough": {
        **choice("Select the borough where it happened"),
        "missing": "Select the borough where it happened",
    },
    "__all__": {
        "no_place": "Search for the place, put a pin on the map, or describe where it happened",
        "outside_london": OUTSIDE_LONDON_MESSAGE,
    },
}

DATE_REAL = "Date it happened must be a real date, for example 27 3 2026"
WHEN: Messages = {
    "when": choice("Select when it happened"),
    "day": {
        "missing_all": "Enter the date it happened, for example 27 3 2026",
        "missing": "Date it happened must include a day",
        "invalid": DATE_REAL,
        "max_length": DATE_REAL,
        "null_characters_not_allowed": DATE_REAL,
        "future": "Date it happened must be today or in the past",
        "too_old": (
            "Date it happened must be within the last year. If it has gone on for longer, "
            "give the most recent date"
        ),
    },
    "month": {
        "missing": "Date it happened must include a month",
        "invalid": DATE_REAL,
        "max_length": DATE_REAL,
        "null_characters_not_allowed": DATE_REAL,
    },
    "year": {
        "missing": "Date it happened must include a year",
        "invalid": DATE_REAL,
        "short": "Year must include 4 numbers, for example 2026",
        "max_length": "Year must include 4 numbers, for example 2026",
        "null_characters_not_allowed": DATE_REAL,
    },
    "time_of_day": {
        "invalid": "Enter a time like 9:30pm or 21:30, or leave it blank",
        "max_length": "Enter a time like 9:30pm or 21:30, or leave it blank",
        "null_characters_not_allowed": "Enter a time like 9:30pm or 21:30, or leave it blank",
    },
}

# The screening questions (reporting.risk.QUESTIONS), by question key; "exclusive" is a
# "none of these" answer chosen with others.
QUESTIONS: Messages = {
    "how_often": choice("Select how often this has happened, or that it is the first time"),
    "reported_before": choice("Select if you have reported this problem before"),
    "effects": {
        **choice("Select what it has affected, or ‘None of these’"),
        "exclusive": "Select ‘None of these’ on its own, or only the things it has affected",
    },
    "unsafe_at_home": choice("Select if it makes you feel unsafe in your own home"),
    "targeted": {
        **choice(
            "Select if you think you, or the person affected, were targeted because of who "
            "they are, or ‘No, or I do not know’"
        ),
        "exclusive": "Select ‘No, or I do not know’ on its own, or only the reasons that apply",
    },
    "health_worsened": choice(
        "Select if a health condition or disability has been made worse by this"
    ),
    "vulnerable_people": choice("Select if children or other vulnerable people are affected"),
}

HISTORY: Messages = {
    "how_often": QUESTIONS["how_often"],
    "reported_before": QUESTIONS["reported_before"],
    "earlier_references": text("Earlier reference numbers"),
}

DETAILS: Messages = {
    "description": {
        **text("What happened", required="Enter what happened"),
        "too_short": "Tell us a little more about what happened, in at least 10 characters",
    },
    "people_involved": text("People or vehicles involved"),
}

PHOTOS: Messages = {
    "photos": {
        "invalid": "The selected photo could not be uploaded. Choose it again",
        "missing": "The selected photo could not be uploaded. Choose it again",
        "empty": "The selected photo is empty. Choose another photo",
        "max_length": "The name of the selected photo is too long. Rename it and choose it again",
        "too_many": f"You can add up to {MAX_PHOTOS} photos. Remove one to add another",
    },
}

IMPACT: Messages = {key: QUESTIONS[key] for key in ("effects", "unsafe_at_home")}
VULNERABILITY: Messages = {
    key: QUESTIONS[key] for key in ("targeted", "health_worsened", "vulnerable_people")
}

PHONE_FORMAT = "Enter a phone number, like 01632 960 001 or 07700 900 982"
CONTACT: Messages = {
    "contact_me": choice("Select if we can contact you about your report"),
    "name": text("Your name"),
    "email": {
        **text("Email address"),
        "invalid": EMAIL_FORMAT,
        "max_length": EMAIL_TOO_LONG,
        "missing": "Enter an email address or a phone number",
        "for_method": "Enter an email address, or choose to be contacted by phone",
    },
    "phone": {
        **text("Phone number"),
        "invalid": PHONE_FORMAT,
        "for_method": "Enter a phone number, or choose to be contacted by email",
    },
    "preferred_method": choice("Select how you would prefer us to contact you"),
    "contact_times": text("When it is best to contact you"),
    "safe_to_contact": {
        **choice("Select if it is safe for us to contact you"),
        "missing": "Select if it is safe for us to contact you",
    },
    "safety_notes": text("How we can contact you safely"),
}

EQUALITY: Messages = {
    "age_band": choice("Select your age group, or leave it blank"),
    "sex": choice("Select your sex, or leave it blank"),
    "gender_same_as_birth": choice(
        "Select if the gender you identify with is the same as your sex registered at birth, "
        "or leave it blank"
    ),
    "ethnic_group": choice("Select your ethnic group, or leave it blank"),
    "disability": choice(
        "Select if you have a health condition or illness lasting 12 months or more, or "
        "leave it blank"
    ),
    "religion": choice("Select your religion, or leave it blank"),
    "sexual_orientation": choice("Select your sexual orientation, or leave it blank"),
}

FIND: Messages = {
    "reference": {
        **text("Report reference", required="Enter your report reference"),
        "max_length": REFERENCE_FORMAT,
        "invalid": REFERENCE_FORMAT,
    },
    "email": {
        **text("Email address", required="Enter the email address you gave with your report"),
        "invalid": EMAIL_FORMAT,
        "max_length": EMAIL_TOO_LONG,
    },
}

ADD_INFORMATION: Messages = {
    "information": text(
        "The information you add", required="Enter the information you want to add"
    ),
}

CALLBACK: Messages = {
    "told_action": choice("Select whether you were told what action would be taken"),
    "seriousness": choice("Select how seriously your report was taken"),
    "know_action": choice("Select whether you know what action was taken"),
    "satisfaction": choice("Select how satisfied you are"),
}
