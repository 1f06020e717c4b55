import json

import pytest
from django.core.exceptions import ValidationError

from standards.validators import (
    parse_boundary,
    validate_borough_code,
    validate_no_phone_number,
    validate_not_mobile_number,
    validate_ward_code,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-0.06, 51.54], [-0.05, 51.54], [-0.05, 51.55], [-0.06, 51.55], [-0.06, 51.54]]
    ],
}


def test_codes():
    validate_borough_code("E09000012")
    validate_ward_code("E05009372")
    for bad in ("E09000034", "E05009372", "hackney"):
        with pytest.raises(ValidationError):
            validate_borough_code(bad)
    for bad in ("E09000012", "E0500937", "e05009372x"):
        with pytest.raises(ValidationError):
            validate_ward_code(bad)


@pytest.mark.parametrize("value", ["101", "020 7946 0123", "0800 555 111"])
def test_shared_lines_are_allowed(value):
    validate_not_mobile_number(value)


@pytest.mark.parametrize("value", ["07700 900123", "+44 7700 900123", "0044 7700900123"])
def test_mobile_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_not_mobile_number(value)


@pytest.mark.parametrize("value", ["PC Khan 07700 900123", "Sgt Lee 020 7946 0999"])
def test_team_member_names_cannot_carry_phone_numbers(value):
    with pytest.raises(ValidationError):
        validate_no_phone_number(value)
    validate_no_phone_number("PC Amira Khan")


def test_boundary_parsing():
    assert parse_boundary("") is None
    area = parse_boundary(json.dumps(SQUARE), code="E05009372", name="Hackney Central")
    assert area.code == "E05009372"
    assert area.contains(51.545, -0.055)
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    assert parse_boundary(json.dumps(feature)).contains(51.545, -0.055)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"type": "Point", "coordinates": [-0.05, 51.5]}),
        # latitude and longitude swapped: nowhere near London
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[51.54, -0.06], [51.54, -0.05], [51.55, -0.05], [51.54, -0.06]]],
            }
        ),
    ],
)
def test_bad_boundaries(text):
    with pytest.raises(ValidationError):
        parse_boundary(text)
