"""The report flow as data: its steps in order, where answers are kept, and how they
become a :class:`~reporting.drafts.ReportDraft`.

Nothing is written to the database until the resident sends the report: answers live in
the session (one dict per step, exactly as the form was bound), and photos in
``PendingUpload`` rows whose random keys are kept in the session. At the end every step is
validated again from the session before anything is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from reporting import forms
from reporting.drafts import ContactDetails, ReportDraft

SESSION_KEY = "reporting_flow"
SUBMITTED_KEY = "reporting_submitted"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str  # the page title, and the heading of its "check your answers" section
    form_class: type[forms.StepForm]
    template: str


STEPS: tuple[Step, ...] = (
    Step("safety", "Is anyone in danger?", forms.SafetyForm, "reporting/steps/safety.html"),
    Step("category", "What is happening", forms.CategoryForm, "reporting/steps/category.html"),
    Step("qualifier", "Who or what it affects", forms.QualifierForm, "reporting/steps/radios.html"),
    Step("where", "Where it happened", forms.WhereForm, "reporting/steps/where.html"),
    Step("when", "When it happened", forms.WhenForm, "reporting/steps/when.html"),
    Step("history", "Has it happened before", forms.HistoryForm, "reporting/steps/history.html"),
    Step("details", "What happened", forms.DetailsForm, "reporting/steps/details.html"),
    Step("photos", "Photos", forms.PhotosForm, "reporting/steps/photos.html"),
    Step("impact", "How it affects you", forms.ImpactForm, "reporting/steps/questions.html"),
    Step(
        "vulnerability",
        "About you and others affected",
        forms.VulnerabilityForm,
        "reporting/steps/questions.html",
    ),
    Step("contact", "Contact details", forms.ContactForm, "reporting/steps/contact.html"),
    Step(
        "equality",
        "Equality monitoring (optional)",
        forms.EqualityForm,
        "reporting/steps/equality.html",
    ),
)
STEP_BY_SLUG: dict[str, Step] = {step.slug: step for step in STEPS}
# Steps whose answers are not a bound form kept in the session.
UNSTORED_STEPS = {"photos"}


class Flow:
    """The resident's answers so far, kept in their session."""

    def __init__(self, session) -> None:
        self.session = session
        state = session.get(SESSION_KEY) or {}
        self.answers: dict[str, dict] = state.get("answers", {})
        self.photo_keys: list[str] = state.get("photos", [])
        self.places: list[dict] = state.get("places", [])
        self.visited: list[str] = state.get("visited", [])
        # One key per report being written (services.submit_report: sent once).
        self.submission_key: str = state.get("key") or uuid.uuid4().hex

    def save(self) -> None:
        self.session[SESSION_KEY] = {
            "answers": self.answers,
            "photos": self.photo_keys,
            "places": self.places,
            "visited": self.visited,
            "key": self.submission_key,
        }
        self.session.modified = True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def store(self, slug: str, data: dict) -> None:
        self.answers[slug] = data
        self.mark_visited(slug)
        self.save()

    def mark_visited(self, slug: str) -> None:
        if slug not in self.visited:
            self.visited.append(slug)
        self.save()

    def form_for(self, step: Step, **kwargs):
        """A step's form bound to its stored answers (None if not answered yet)."""
        stored = self.answers.get(step.slug)
        if stored is None:
            return None
        return step.form_class.bind(stored, **kwargs)

    def first_missing(self) -> Step | None:
        """The first step not answered (photos count once the page has been seen)."""
        for step in STEPS:
            if step.slug in UNSTORED_STEPS:
                if step.slug not in self.visited:
                    return step
            elif step.slug not in self.answers:
                return step
        return None

    def is_reachable(self, slug: str) -> bool:
        """A step can be shown once every step before it has been answered."""
        for step in STEPS:
            if step.slug == slug:
                return True
            if step.slug in UNSTORED_STEPS:
                if step.slug not in self.visited:
                    return False
            elif step.slug not in self.answers:
                return False
        return False

    def valid_forms(self) -> dict[str, forms.StepForm] | None:
        """Every stored step validated again; None if any step is missing or now invalid."""
        result = {}
        for step in STEPS:
            if step.slug in UNSTORED_STEPS:
                continue
            form = self.form_for(step)
            if form is None or not form.is_valid():
                return None
            result[step.slug] = form
        return result

    def draft(self) -> ReportDraft | None:
        valid = self.valid_forms()
        if valid is None:
            return None
        return build_draft(valid)

    def equality(self) -> dict:
        data = self.answers.get("equality") or {}
        return {key: value for key, value in data.items() if value and value != "prefer_not"}


def next_step(slug: str) -> Step | None:
    slugs = [step.slug for step in STEPS]
    index = slugs.index(slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(slug: str) -> Step | None:
    slugs = [step.slug for step in STEPS]
    index = slugs.index(slug)
    return STEPS[index - 1] if index > 0 else None


def build_draft(valid: dict[str, forms.StepForm]) -> ReportDraft:
    where = valid["where"].cleaned_data
    when = valid["when"].cleaned_data
    history = valid["history"].cleaned_data
    details = valid["details"].cleaned_data
    impact = valid["impact"].cleaned_data
    vulnerability = valid["vulnerability"].cleaned_data
    contact = valid["contact"].cleaned_data
    screening = {
        "how_often": history["how_often"],
        "reported_before": history["reported_before"],
        "effects": list(impact["effects"]),
        "unsafe_at_home": impact["unsafe_at_home"],
        "targeted": list(vulnerability["targeted"]),
        "health_worsened": vulnerability["health_worsened"],
        "vulnerable_people": vulnerability["vulnerable_people"],
    }
    details_contact = None
    if contact["contact_me"] == "yes":
        details_contact = ContactDetails(
            name=contact["name"].strip(),
            email=contact["email"].strip(),
            phone=contact["phone"].strip(),
            preferred_method=contact["preferred_method"],
            contact_times=contact["contact_times"].strip(),
            safe_to_contact=contact["safe_to_contact"] == "yes",
            safety_notes=contact["safety_notes"].strip(),
        )
    return ReportDraft(
        category=valid["category"].cleaned_data["category"],
        qualifier=valid["qualifier"].cleaned_data["qualifier"],
        description=details["description"],
        people_involved=details["people_involved"].strip(),
        latitude=where.get("latitude"),
        longitude=where.get("longitude"),
        location_source=where["location_source"],
        location_description=(where.get("location_description") or "").strip(),
        borough_code=where.get("borough") or "",
        occurred_on=when["occurred_on"],
        occurred_time=when["occurred_time"],
        still_happening=when["when"] == "ongoing",
        happened_before="no" if history["how_often"] == "first" else "yes",
        earlier_references=history["earlier_references"].strip(),
        screening=screening,
        contact=details_contact,
    )
