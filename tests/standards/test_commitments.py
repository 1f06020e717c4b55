import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from standards.blocks import CommitmentBlock
from standards.commitments import Commitment


def test_target_text_and_hours():
    assert Commitment("We will contact you", "first_contact", 24, "hours").target_text == (
        "within 24 hours"
    )
    one_day = Commitment("We will contact you", "first_contact", 1, "working_days")
    assert one_day.target_text == "within 1 working day"
    assert one_day.target_hours == 24
    updates = Commitment("We will update you", "update_frequency", 14, "days")
    assert updates.target_text == "at least every 14 days"
    assert updates.target_hours == 14 * 24
    assert Commitment("We will update you", "update_frequency", 1, "weeks").target_text == (
        "every week"
    )


def test_commitment_without_target():
    commitment = Commitment("We will treat what you tell us in confidence")
    assert not commitment.has_target
    assert commitment.target_text == ""
    assert commitment.target_hours is None
    assert commitment.due_by(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)) is None


def test_due_by_skips_weekends_for_working_days():
    friday_evening = dt.datetime(2025, 3, 7, 18, 0, tzinfo=dt.UTC)
    one_day = Commitment("We will contact you", "first_contact", 1, "working_days")
    assert one_day.due_by(friday_evening) == dt.datetime(2025, 3, 10, 18, 0, tzinfo=dt.UTC)
    in_hours = Commitment("We will contact you", "first_contact", 24, "hours")
    assert in_hours.due_by(friday_evening) == dt.datetime(2025, 3, 8, 18, 0, tzinfo=dt.UTC)


def test_due_by_keeps_london_wall_clock_across_the_clock_change():
    # Clocks go forward on Sunday 30 March 2025: 9am London is 09:00 UTC on Friday and
    # 08:00 UTC on Monday.
    friday_9am = dt.datetime(2025, 3, 28, 9, 0, tzinfo=dt.UTC)
    one_day = Commitment("We will contact you", "first_contact", 1, "working_days")
    assert one_day.due_by(friday_9am) == dt.datetime(2025, 3, 31, 8, 0, tzinfo=dt.UTC)


def test_commitment_block_requires_the_whole_target_or_none():
    block = CommitmentBlock()
    value = block.to_python({"text": "We will call", "metric": "first_contact"})
    with pytest.raises(ValidationError):
        block.clean(value)
    ok = block.to_python(
        {
            "text": "We will call",
            "metric": "first_contact",
            "target_value": 2,
            "target_unit": "hours",
        }
    )
    assert block.clean(ok)["target_value"] == 2
    assert block.clean(block.to_python({"text": "We will listen"}))["text"] == "We will listen"
