"""Screening a report for repeat and vulnerable victims: one table, one function.

In the spirit of the national ASB risk assessment ("vulnerability matrix") adopted by the
Met's 2011 Home Office trial boroughs (Hackney, Lambeth, Harrow, Richmond): every report is
screened when it arrives, so repeat and vulnerable victims are found at first contact
rather than after the tenth call, and high-risk cases are case-managed at once.

How it works
------------
* :data:`QUESTIONS` is the whole questionnaire: for each question its key, the words the
  resident reads, whether several answers may be chosen, and each answer's weight. The
  report flow builds its form fields from this table, so the words asked and the weights
  scored can never drift apart.
* The score is the sum of the weights of the answers given (for a question with several
  answers, each chosen answer counts, up to the question's ``cap``), plus points for
  earlier reports from the same person or place in the last 3 months found by
  ``reporting.repeats`` (:data:`REPEAT_WEIGHTS`, each capped).
* :data:`THRESHOLDS` turns the score into a level: ``high`` at 12 or more, ``medium`` at 6
  or more, otherwise ``standard``.
* :data:`FORCE_HIGH` lists combinations that make a report high risk whatever its score,
  as the matrix's guidance does for the most worrying pictures, e.g. feeling unsafe at
  home and targeted for who they are (a possible hate incident at home), or a repeat
  victim whose health is being made worse (the Pilkington case).
* :func:`assess_risk` is pure: the same answers and repeat counts always give the same
  :class:`RiskAssessment` (level, score, reasons in plain words for staff).

A high-risk report is flagged for urgent callback; the resident is told what happens next
and where to find support now (Victim Support, 101, 999).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

HIGH = "high"
MEDIUM = "medium"
STANDARD = "standard"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    weight: int = 0
    reason: str = ""  # shown to staff when this answer adds to the score
    exclusive: bool = False  # "none of these" style answers in a multiple-choice question


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str
    options: tuple[Option, ...]
    multiple: bool = False
    cap: int | None = None  # most points a multiple-choice question can add
    step: str = "impact"  # which step of the report flow asks it

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(o.value, o.label) for o in self.options]


HATE_STRANDS = ("disability", "race", "religion", "sexuality", "gender_identity")

QUESTIONS: tuple[Question, ...] = (
    Question(
        key="how_often",
        text="How often has this happened?",
        hint="Think about this problem, not other things that have happened.",
        step="history",
        options=(
            Option("first", "This is the first time"),
            Option("few", "A few times", 1, "It has happened a few times"),
            Option("weekly", "Every week or more often", 2, "It happens every week"),
            Option("daily", "Every day or almost every day", 3, "It happens (almost) every day"),
        ),
    ),
    Question(
        key="effects",
        text="Has it affected any of these?",
        hint="Select all that apply.",
        multiple=True,
        cap=4,
        options=(
            Option("sleep", "Your sleep", 1, "It affects their sleep"),
            Option("work", "Your work or studies", 1, "It affects their work or studies"),
            Option("health", "Your health", 2, "It affects their health"),
            Option("daily_life", "Your daily life, like going out", 1, "It affects daily life"),
            Option("none", "None of these", exclusive=True),
        ),
    ),
    Question(
        key="unsafe_at_home",
        text="Does it make you feel unsafe in your own home?",
        hint="",
        options=(
            Option("yes", "Yes", 4, "Feels unsafe in their own home"),
            Option("no", "No"),
            Option("not_home", "It is not happening at or near my home"),
        ),
    ),
    Question(
        key="targeted",
        text="Do you think you, or the person affected, were targeted because of who they are?",
        hint=(
            "For example because of a disability, race, religion, sexuality or gender "
            "identity. This may be a hate incident. Select all that apply."
        ),
        multiple=True,
        cap=4,
        step="vulnerability",
        options=(
            Option("disability", "Disability", 4, "Possible hate incident: disability"),
            Option("race", "Race or ethnicity", 4, "Possible hate incident: race"),
            Option("religion", "Religion or belief", 4, "Possible hate incident: religion"),
            Option("sexuality", "Sexuality", 4, "Possible hate incident: sexuality"),
            Option(
                "gender_identity",
                "Gender identity",
                4,
                "Possible hate incident: gender identity",
            ),
            Option("no", "No, or I do not know", exclusive=True),
        ),
    ),
    Question(
        key="health_worsened",
        text="Has a health condition or disability been made worse by this?",
        hint="This includes mental health, such as anxiety or depression.",
        step="vulnerability",
        options=(
            Option("yes", "Yes", 3, "A health condition or disability has been made worse"),
            Option("no", "No"),
        ),
    ),
    Question(
        key="vulnerable_people",
        text="Are children or other vulnerable people affected?",
        hint="For example children, older people, or someone who is ill or disabled.",
        step="vulnerability",
        options=(
            Option("yes", "Yes", 2, "Children or other vulnerable people are affected"),
            Option("no", "No"),
            Option("unknown", "I do not know"),
        ),
    ),
    Question(
        key="reported_before",
        text="Have you reported this problem before?",
        hint="To the police, the council or a housing provider.",
        step="history",
        options=(
            Option("recent", "Yes, in the last 3 months", 3, "Reported in the last 3 months"),
            Option("earlier", "Yes, more than 3 months ago", 1, "Reported before, over 3 months"),
            Option("no", "No"),
        ),
    ),
)

QUESTION_BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}

# Earlier reports found by reporting.repeats in the last 3 months: (points each, cap).
REPEAT_WEIGHTS: dict[str, tuple[int, int]] = {
    "same_contact": (3, 6),  # the same person reporting again: a repeat victim
    "same_place": (1, 3),  # the same place reported by others: a repeat location
}

# (minimum score, level), highest first.
THRESHOLDS: tuple[tuple[int, str], ...] = ((12, HIGH), (6, MEDIUM), (0, STANDARD))


@dataclass(frozen=True)
class RepeatCounts:
    same_contact: int = 0
    same_place: int = 0


@dataclass(frozen=True)
class RiskAssessment:
    level: str
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        return self.level == HIGH


Answers = Mapping[str, str | list[str] | tuple[str, ...]]


def _chosen(answers: Answers, key: str) -> list[str]:
    value = answers.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _targeted(answers: Answers, repeats: RepeatCounts) -> bool:
    return any(value in HATE_STRANDS for value in _chosen(answers, "targeted"))


def _repeat_victim(answers: Answers, repeats: RepeatCounts) -> bool:
    return "recent" in _chosen(answers, "reported_before") or repeats.same_contact > 0


def _is(key: str, value: str) -> Callable[[Answers, RepeatCounts], bool]:
    return lambda answers, repeats: value in _chosen(answers, key)


@dataclass(frozen=True)
class ForceHigh:
    reason: str
    conditions: tuple[Callable[[Answers, RepeatCounts], bool], ...]


FORCE_HIGH: tuple[ForceHigh, ...] = (
    ForceHigh(
        "Feels unsafe at home and may have been targeted for who they are",
        (_is("unsafe_at_home", "yes"), _targeted),
    ),
    ForceHigh(
        "Repeat victim whose health or disability is being made worse",
        (_repeat_victim, _is("health_worsened", "yes")),
    ),
    ForceHigh(
        "Feels unsafe at home with children or vulnerable people affected",
        (_is("unsafe_at_home", "yes"), _is("vulnerable_people", "yes")),
    ),
)


def level_for_score(score: int) -> str:
    for minimum, level in THRESHOLDS:
        if score >= minimum:
            return level
    return STANDARD


def assess_risk(answers: Answers, recent_repeats: RepeatCounts | None = None) -> RiskAssessment:
    """Score the screening answers plus repeats found in the last 3 months."""
    repeats = recent_repeats or RepeatCounts()
    score = 0
    reasons: list[str] = []
    for question in QUESTIONS:
        points = 0
        for value in _chosen(answers, question.key):
            option = question.option(value)
            if option is None or option.weight == 0:
                continue
            points += option.weight
            reasons.append(option.reason)
        if question.cap is not None:
            points = min(points, question.cap)
        score += points
    for kind, (each, cap) in REPEAT_WEIGHTS.items():
        count = getattr(repeats, kind)
        if count:
            score += min(count * each, cap)
            noun = "report" if count == 1 else "reports"
            who = "from the same person" if kind == "same_contact" else "about the same place"
            reasons.append(f"{count} earlier {noun} {who} in the last 3 months")
    level = level_for_score(score)
    for rule in FORCE_HIGH:
        if all(condition(answers, repeats) for condition in rule.conditions):
            level = HIGH
            reasons.append(rule.reason)
    return RiskAssessment(level=level, score=score, reasons=reasons)
