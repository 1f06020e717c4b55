"""The scoring table and assess_risk: pure, no database."""

import pytest

from reporting.risk import (
    FORCE_HIGH,
    HIGH,
    MEDIUM,
    QUESTIONS,
    STANDARD,
    THRESHOLDS,
    RepeatCounts,
    assess_risk,
    level_for_score,
)

CALM = {
    "how_often": "first",
    "reported_before": "no",
    "effects": ["none"],
    "unsafe_at_home": "no",
    "targeted": ["no"],
    "health_worsened": "no",
    "vulnerable_people": "no",
}


def test_a_first_time_nuisance_with_no_effects_is_standard():
    result = assess_risk(CALM)
    assert (result.level, result.score, result.reasons) == (STANDARD, 0, [])
    assert not result.urgent


def test_every_question_has_a_zero_weight_answer_and_unique_key():
    keys = [q.key for q in QUESTIONS]
    assert len(keys) == len(set(keys))
    for question in QUESTIONS:
        assert any(option.weight == 0 for option in question.options), question.key
        for option in question.options:
            assert option.weight == 0 or option.reason, (question.key, option.value)


def test_thresholds_are_ordered_and_cover_zero():
    minimums = [minimum for minimum, _ in THRESHOLDS]
    assert minimums == sorted(minimums, reverse=True)
    assert minimums[-1] == 0
    assert level_for_score(0) == STANDARD
    assert level_for_score(6) == MEDIUM
    assert level_for_score(11) == MEDIUM
    assert level_for_score(12) == HIGH


def test_weights_add_up_with_reasons():
    answers = {**CALM, "how_often": "daily", "effects": ["sleep", "work"]}
    result = assess_risk(answers)
    assert result.score == 3 + 2
    assert result.level == STANDARD
    assert "It happens (almost) every day" in result.reasons
    assert "It affects their sleep" in result.reasons


def test_multiple_choice_questions_are_capped():
    answers = {**CALM, "effects": ["sleep", "work", "health", "daily_life"]}
    assert assess_risk(answers).score == 4  # 1+1+2+1 capped at 4


def test_medium_risk():
    answers = {
        **CALM,
        "how_often": "weekly",
        "effects": ["sleep", "health"],
        "reported_before": "earlier",
    }
    result = assess_risk(answers)
    assert result.score == 2 + 3 + 1
    assert result.level == MEDIUM


def test_high_risk_by_score():
    answers = {
        **CALM,
        "how_often": "daily",
        "effects": ["sleep", "health"],
        "vulnerable_people": "yes",
        "reported_before": "recent",
    }
    result = assess_risk(answers)
    assert result.score == 3 + 3 + 2 + 3
    assert result.level == MEDIUM
    result = assess_risk(answers, RepeatCounts(same_place=1))
    assert result.score == 12
    assert result.level == HIGH
    assert result.urgent


def test_unsafe_at_home_and_targeted_forces_high_whatever_the_score():
    answers = {**CALM, "unsafe_at_home": "yes", "targeted": ["race"]}
    result = assess_risk(answers)
    assert result.score == 8
    assert result.level == HIGH
    assert "Possible hate incident: race" in result.reasons
    assert FORCE_HIGH[0].reason in result.reasons


def test_repeat_victim_whose_health_is_worse_is_high_risk():
    answers = {**CALM, "health_worsened": "yes"}
    assert assess_risk(answers).level == STANDARD
    assert assess_risk(answers, RepeatCounts(same_contact=1)).level == HIGH
    assert assess_risk({**answers, "reported_before": "recent"}).level == HIGH


def test_detected_repeats_add_points_with_caps():
    one = assess_risk(CALM, RepeatCounts(same_contact=1))
    many = assess_risk(CALM, RepeatCounts(same_contact=5, same_place=9))
    assert one.score == 3
    assert "1 earlier report from the same person in the last 3 months" in one.reasons
    assert many.score == 6 + 3


@pytest.mark.parametrize("bad", [{}, {"how_often": "nonsense"}, {"effects": "sleep"}])
def test_missing_or_unknown_answers_never_crash(bad):
    result = assess_risk(bad)
    assert result.level in (STANDARD, MEDIUM, HIGH)
