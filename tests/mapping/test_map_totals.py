"""The map counts what the tables count: for every filter (borough, neighbourhood, months,
crime types) the map data's area total, and the sum of what it draws over the area,
equal the page's total. Real police.uk samples (the Met in February 2025, the City of
London in May 2025)."""

import datetime as dt

import pytest
from django.urls import reverse

from geography import boundaries
from mapping import selectors
from mapping.categories import CRIME_TYPES
from mapping.local_data import page_context
from mapping.models import SnapPoint
from mapping.services import retag_neighbourhoods

CITY, HACKNEY, WESTMINSTER = "E09000001", "E09000012", "E09000033"
LONDON = "-0.6,51.2,0.4,51.75"
WARD = "E05009999"
MONTHS = [
    {"month_from": "2025-02", "month_to": "2025-05"},
    {"month_from": "2025-02", "month_to": "2025-02"},
    {"month_from": "2025-05", "month_to": "2025-05"},
]
CATEGORIES = [[], ["anti-social-behaviour"], ["burglary", "shoplifting", "violent-crime"]]


def page(client, **params):
    response = client.get(reverse("mapping:london"), params)
    assert response.status_code == 200
    return response.context


def map_data(client, config: dict, *, zoom: int, bbox: str | None = None, kind="map_data"):
    params = {
        "bbox": bbox or ",".join(str(v) for v in config["bbox"]),
        "zoom": zoom,
        "month_from": config["monthFrom"],
        "month_to": config["monthTo"],
        "category": config["categories"],
    }
    if config["borough"]:
        params["borough"] = config["borough"]
    if config["ward"]:
        params["ward"] = config["ward"]
    response = client.get(reverse(f"mapping:{kind}"), params)
    assert response.status_code == 200, response.content
    return response.json()


def drawn_total(data: dict) -> int:
    return sum(feature["properties"]["total"] for feature in data["features"])


def strips(bbox, span=0.2):
    """The bbox cut into pieces narrow enough for street locations."""
    west, south, east, north = bbox
    x = west
    while x < east:
        y = south
        while y < north:
            yield f"{x},{y},{min(x + span, east)},{min(y + span, north)}"
            y += span
        x += span


@pytest.mark.parametrize(
    ("borough", "months", "categories"),
    [
        (CITY, MONTHS[0], CATEGORIES[0]),
        (CITY, MONTHS[2], CATEGORIES[1]),
        (HACKNEY, MONTHS[0], CATEGORIES[0]),
        (HACKNEY, MONTHS[1], CATEGORIES[2]),
        (WESTMINSTER, MONTHS[1], CATEGORIES[1]),
        (WESTMINSTER, MONTHS[2], CATEGORIES[0]),  # no Westminster data in May: zero
        ("", MONTHS[0], CATEGORIES[2]),
        ("", MONTHS[2], CATEGORIES[0]),
    ],
)
def test_the_map_counts_what_the_table_counts(client, samples, borough, months, categories):
    context = page(client, borough=borough, category=categories, **months)
    config = context["map_config"]
    table_total = context["grand_total"]
    assert table_total == sum(row["total"] for row in context["category_rows"])
    assert config["borough"] == borough
    for zoom in (9, 11, 13):
        data = map_data(client, config, zoom=zoom)
        assert data["kind"] == "cells"
        assert data["area"]["total"] == table_total
        # The map starts on the area's bounds, so everything it draws there is the area's.
        assert drawn_total(data) == table_total
    street_level = sum(
        drawn_total(map_data(client, config, zoom=16, bbox=piece, kind="points"))
        for piece in strips(config["bbox"])
    )
    assert street_level == table_total


def test_a_borough_filter_leaves_out_what_is_outside_the_borough(client, samples):
    config = page(client, borough=CITY, **MONTHS[0])["map_config"]
    city = map_data(client, config, zoom=11, bbox=LONDON)
    london = map_data(client, {**config, "borough": ""}, zoom=11, bbox=LONDON)
    assert 0 < drawn_total(city) == city["area"]["total"] < drawn_total(london)
    assert city["area"] == {"kind": "borough", "code": CITY, "total": drawn_total(city)}
    assert london["area"]["kind"] == "london"
    for feature in city["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        west, south, east, north = feature["properties"]["bbox"]
        assert west <= lon <= east and south <= lat <= north
    # Zoomed in, every location drawn is one of the City's.
    points = map_data(client, config, zoom=16, kind="points")
    codes = set(
        SnapPoint.objects.filter(
            pk__in=[feature["id"] for feature in points["features"]]
        ).values_list("borough_code", flat=True)
    )
    assert codes == {CITY}


@pytest.mark.parametrize("categories", CATEGORIES)
def test_every_borough_map_counts_what_its_table_counts(samples, categories):
    """All 33 boroughs (and London), through the selectors the endpoint and page use:
    what the map draws over the area, as squares at every grid size or as street
    locations, is the area's total the tables add up."""
    types = tuple(t for t in CRIME_TYPES if t.slug in categories) if categories else CRIME_TYPES
    filters = selectors.Filters(dt.date(2025, 2, 1), dt.date(2025, 5, 1), types)
    london_bbox = tuple(float(v) for v in LONDON.split(","))
    codes = [area.code for area in boundaries.boroughs()]
    assert len(codes) == 33
    for code in [*codes, None]:
        table = selectors.area_total(filters, borough_code=code)
        for zoom in (9, 12, 14):
            _cell_zoom, cells = selectors.cells(filters, london_bbox, zoom, borough_code=code)
            assert sum(cell["total"] for cell in cells) == table, (code, zoom)
        if code:
            drawn = selectors.points(filters, london_bbox, borough_code=code)
            assert sum(point["total"] for point in drawn) == table, code
    by_borough = sum(selectors.area_total(filters, borough_code=code) for code in codes)
    assert by_borough == selectors.area_total(filters) > 0


def test_the_map_starts_on_the_borough(client, samples):
    config = page(client, borough=HACKNEY)["map_config"]
    assert tuple(config["bbox"]) == boundaries.borough(HACKNEY).bbox
    assert config["areaName"] == "Hackney"
    assert config["borough"] == HACKNEY and config["ward"] == ""


def test_the_period_is_said_in_words(client, samples):
    config = page(client, **MONTHS[0])["map_config"]
    assert config["period"] == "February 2025 to May 2025"
    assert page(client, **MONTHS[2])["map_config"]["period"] == "May 2025"


@pytest.fixture
def ward(samples):
    """A neighbourhood of the City's locations north of latitude 51.515."""
    changed = retag_neighbourhoods(
        ward_lookup=lambda lat, lon, borough: WARD if borough == CITY and lat > 51.515 else ""
    )
    assert changed > 0
    return WARD


@pytest.mark.parametrize("months", MONTHS)
@pytest.mark.parametrize("categories", CATEGORIES)
def test_a_neighbourhood_map_counts_what_its_table_counts(client, ward, months, categories):
    types = tuple(t for t in CRIME_TYPES if t.slug in categories) if categories else CRIME_TYPES
    filters = selectors.Filters(
        dt.date.fromisoformat(months["month_from"] + "-01"),
        dt.date.fromisoformat(months["month_to"] + "-01"),
        types,
    )
    context = page_context(filters, ward_code=ward, ward_name="North of the City")
    config = context["map_config"]
    assert config["ward"] == ward and config["areaName"] == "North of the City"
    whole_city = selectors.area_total(filters, borough_code=CITY)
    assert context["grand_total"] <= whole_city
    if whole_city:  # the neighbourhood is part of the City
        assert 0 < context["grand_total"] < whole_city
    for zoom in (11, 13, 14):
        data = map_data(client, config, zoom=zoom)
        assert data["area"] == {"kind": "ward", "code": ward, "total": context["grand_total"]}
        assert drawn_total(data) == context["grand_total"]
    points = map_data(client, config, zoom=16, kind="points")
    assert drawn_total(points) == context["grand_total"]


def test_a_neighbourhood_map_starts_on_its_locations(ward):
    west, south, east, north = selectors.area_bbox(ward_code=ward)
    assert south > 51.515
    inside = SnapPoint.objects.filter(ward_code=ward)
    assert inside.filter(latitude=south).exists() and inside.filter(latitude=north).exists()
    assert inside.filter(longitude=west).exists() and inside.filter(longitude=east).exists()
    assert selectors.area_bbox(ward_code="E05000000") is None
    assert selectors.area_bbox() is None


def test_the_trend_api_and_the_map_agree_on_an_area(client, ward):
    params = {**MONTHS[0], "ward": ward}
    trend = client.get(reverse("mapping:trend"), params).json()
    cells = client.get(reverse("mapping:map_data"), {**params, "bbox": LONDON, "zoom": 11}).json()
    assert trend["area"] == {"kind": "ward", "code": ward}
    assert trend["total"] == cells["area"]["total"] == drawn_total(cells) > 0


def test_a_bad_ward_is_a_400(client, db):
    response = client.get(
        reverse("mapping:map_data"), {"bbox": LONDON, "zoom": 11, "ward": "x" * 40}
    )
    assert response.status_code == 400
    assert "ward" in response.json()["errors"]
