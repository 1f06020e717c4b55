"""How the reference case system moves a case on by itself: the steps and the outcomes.

Rules as data. A case goes through the same steps a borough's ASB team takes, over hours
and days (``--pace`` speeds the clock up for a demo): logged at once, an officer assigned
within the hour, the resident contacted within a few hours, action within a day or so,
closed after a few days with one outcome from ``OUTCOMES``. High-risk cases go faster.

The outcome is chosen from the case alone (its category, its risk and its number), so the
same case always ends the same way and tests can predict it. Every update's words reach
the resident (the portal's tracking page and emails): plain words, no jargon, no codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str  # the external_status_code of the closing update
    label: str  # what staff see in the case list
    action: str  # the update when the action is taken
    closing: str  # the closing update


AGAIN = "If it happens again, please report it: we will look at it together with this case."

OUTCOMES: dict[str, Outcome] = {
    outcome.code: outcome
    for outcome in (
        Outcome(
            "advice_given",
            "Advice given to the resident",
            "Our officer has given you advice on what you can do, and what we can do if it "
            "carries on.",
            f"We have closed your case. Our officer gave you advice on what to do. {AGAIN}",
        ),
        Outcome(
            "warning_letter",
            "Warning letter sent to the person responsible",
            "We have written to the person responsible to tell them their behaviour must stop.",
            "We sent a warning letter to the person responsible and have kept an eye on things "
            f"since. We are closing your case for now. {AGAIN}",
        ),
        Outcome(
            "acceptable_behaviour_contract",
            "Acceptable behaviour contract agreed",
            "Our officer has met the person responsible to talk about their behaviour.",
            "The person responsible has signed an acceptable behaviour contract: a written "
            "promise to stop. If they break it, we can take further action. We are closing "
            f"your case for now. {AGAIN}",
        ),
        Outcome(
            "mediation",
            "Referred to mediation",
            "We have asked a mediation service to help you and your neighbour talk things "
            "through, if you both agree.",
            "We have passed your case to a mediation service. They will contact you to "
            f"arrange a meeting. We are closing your case with us. {AGAIN}",
        ),
        Outcome(
            "community_protection_warning",
            "Community protection warning issued",
            "Our officer has visited the place you told us about and spoken to the people "
            "responsible.",
            "We have given the person responsible a community protection warning. If the "
            "behaviour carries on, they can be fined or taken to court. We are closing your "
            f"case for now. {AGAIN}",
        ),
        Outcome(
            "community_protection_notice",
            "Community protection notice served",
            "The person responsible was warned before and the behaviour has carried on, so our "
            "officer is preparing a community protection notice.",
            "We have served a community protection notice on the person responsible. It is a "
            "legal order: if they break it, they can be fined or taken to court. We are "
            f"closing your case for now. {AGAIN}",
        ),
        Outcome(
            "no_further_reports",
            "Closed: no further reports after monitoring",
            "We are keeping a check on the place you told us about, including extra patrols.",
            "We kept a check on the area for two weeks and had no more reports, so we are "
            f"closing your case. {AGAIN}",
        ),
        Outcome(
            "referred_to_police",
            "Referred to the police",
            "We have shared your report with the police, who will decide what to do next.",
            "Your case is now with the police, who are dealing with it. If you are in danger, "
            "call 999.",
        ),
        Outcome(
            "no_further_action",
            "No further action: the person responsible could not be identified",
            "Our officer has checked the place you told us about and looked for witnesses and "
            "camera footage.",
            "We could not find out who was responsible, so we cannot take action against "
            "anyone this time. We have shared what you told us with the local police team so "
            f"they can keep an eye on the area. {AGAIN}",
        ),
    )
}

# Which outcomes fit which categories (the portal's category slugs, or words in a case
# system's own service codes): the case's number picks one of them.
OUTCOMES_BY_CATEGORY: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("noise", "neighbour"),
        ("advice_given", "warning_letter", "mediation", "acceptable_behaviour_contract"),
    ),
    (
        ("communications", "prostitution"),
        ("referred_to_police", "warning_letter"),
    ),
    (
        ("rowdy", "drinking", "begging", "fireworks", "vehicle", "trespass", "drugs", "animal"),
        (
            "community_protection_warning",
            "no_further_reports",
            "warning_letter",
            "advice_given",
            "community_protection_notice",
            "no_further_action",
        ),
    ),
)
DEFAULT_OUTCOMES = ("advice_given", "no_further_reports", "warning_letter", "no_further_action")
HIGH_RISK_OUTCOMES = (
    "referred_to_police",
    "community_protection_warning",
    "community_protection_notice",
)


def choose_outcome(*, number: int, category: str, high_risk: bool) -> Outcome:
    """The outcome of a case: fixed by its category, its risk and its number."""
    if high_risk:
        codes = HIGH_RISK_OUTCOMES
    else:
        words = category.lower()
        codes = next(
            (codes for keys, codes in OUTCOMES_BY_CATEGORY if any(k in words for k in keys)),
            DEFAULT_OUTCOMES,
        )
    return OUTCOMES[codes[number % len(codes)]]


@dataclass(frozen=True)
class Step:
    after_hours: float  # since the case was opened (at pace 1)
    status: str  # the case system's status: received, in_progress, closed
    code: str  # the external_status_code (the portal maps it: reporting/forwarding/statuses)
    text: str  # may use {case_id}, {contact} and {outcome_action}/{outcome_closing}


CONTACTED = "Our officer has tried to contact you to hear more about what has been happening."
NOT_CONTACTED = (
    "Our officer has read your report and checked for earlier reports about the same place."
)

STANDARD_STEPS = (
    Step(
        0,
        "received",
        "acknowledged",
        "We have received your report and logged it as case {case_id}. An anti-social "
        "behaviour officer will look at it within one working day.",
    ),
    Step(0.75, "in_progress", "assigned", "An anti-social behaviour officer is dealing with it."),
    Step(3, "in_progress", "investigating", "{contact}"),
    Step(26, "in_progress", "action_scheduled", "{outcome_action}"),
    Step(74, "closed", "{outcome_code}", "{outcome_closing}"),
)
HIGH_RISK_STEPS = (
    Step(
        0,
        "received",
        "acknowledged",
        "We have received your report and logged it as case {case_id}. Because of what you "
        "told us, an officer will contact you today. If you are in danger, call 999.",
    ),
    Step(
        0.25,
        "in_progress",
        "assigned",
        "A senior anti-social behaviour officer is dealing with your case as a priority.",
    ),
    Step(1, "in_progress", "investigating", "{contact}"),
    Step(8, "in_progress", "action_scheduled", "{outcome_action}"),
    Step(48, "closed", "{outcome_code}", "{outcome_closing}"),
)


def steps_for(high_risk: bool) -> tuple[Step, ...]:
    return HIGH_RISK_STEPS if high_risk else STANDARD_STEPS


@dataclass(frozen=True)
class PlannedUpdate:
    status: str
    code: str
    text: str


def planned_update(
    step: Step, *, case_id: str, outcome: Outcome, contact_given: bool
) -> PlannedUpdate:
    """One step's update for one case, in the words the resident reads."""
    values = {
        "case_id": case_id,
        "contact": CONTACTED if contact_given else NOT_CONTACTED,
        "outcome_action": outcome.action,
        "outcome_closing": outcome.closing,
        "outcome_code": outcome.code,
    }
    return PlannedUpdate(
        status=step.status, code=step.code.format(**values), text=step.text.format(**values)
    )


# The fast mode of the tests and the benchmark (``--auto-progress SECONDS``): two steps
# only, received -> in progress -> closed, SECONDS apart.
FAST_IN_PROGRESS = PlannedUpdate(
    "in_progress", "investigating", "An anti-social behaviour officer is looking into it."
)

# What staff see as a case's next step (by the step's code).
STEP_LABELS = {
    "acknowledged": "log the report and tell the resident",
    "assigned": "assign an officer",
    "investigating": "contact the resident",
    "action_scheduled": "take action",
    "{outcome_code}": "close the case with its outcome",
}
