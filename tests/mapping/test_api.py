import pytest
from django.urls import reverse

from mapping.local_data import LONDON_BBOX
from mapping.models import Dataset

LONDON = ",".join(str(v) for v in (-0.6, 51.2, 0.4, 51.75))
CITY_BOX = "-0.115,51.505,-0.07,51.525"  # the City and its edges
FILTERS = {"month_from": "2025-01", "month_to": "2025-06"}


def get(client, name, **params):
    return client.get(reverse(f"mapping:{name}"), {**FILTERS, **params})


def london_total(client, **params) -> int:
    return get(client, "areas", **params).json()["total"]


@pytest.mark.parametrize("zoom", range(8, 15))
def test_cells_sum_to_the_borough_totals_at_every_zoom(client, samples, zoom):
    data = get(client, "map_data", bbox=LONDON, zoom=zoom).json()
    assert data["kind"] == "cells"
    assert data["total"] == sum(f["properties"]["total"] for f in data["features"])
    assert data["total"] == london_total(client) > 4000
    for feature in data["features"]:
        properties = feature["properties"]
        assert sum(properties["counts"]) == properties["total"]
        assert len(properties["counts"]) == len(data["categories"]) == 14
        lon, lat = feature["geometry"]["coordinates"]
        west, south, east, north = properties["bbox"]
        assert west <= lon <= east and south <= lat <= north


def test_points_sum_to_the_borough_totals(client, samples):
    # Points are for street level, so cover London in strips narrow enough to be allowed.
    total = 0
    west = -0.6
    while west < 0.4:
        data = get(client, "points", bbox=f"{west},51.2,{west + 0.2},51.45").json()
        total += data["total"]
        data = get(client, "points", bbox=f"{west},51.45,{west + 0.2},51.7").json()
        total += data["total"]
        west = round(west + 0.2, 6)
    assert total == london_total(client)


def test_totals_agree_for_a_selection_of_types(client, samples):
    params = {"category": ["anti-social-behaviour", "burglary"]}
    cells = get(client, "map_data", bbox=LONDON, zoom=10, **params).json()
    areas = get(client, "areas", **params).json()
    trend = get(client, "trend", **params).json()
    assert cells["total"] == areas["total"] == trend["total"]
    assert cells["categories"] == ["anti-social-behaviour", "burglary"]
    by_borough = {a["code"]: a["total"] for a in areas["areas"]}
    city = get(client, "trend", borough="E09000001", **params).json()
    assert city["total"] == by_borough["E09000001"]


def test_street_level_points_carry_location_and_counts(client, samples):
    data = get(client, "map_data", bbox=CITY_BOX, zoom=16).json()
    assert data["kind"] == "points"
    feature = data["features"][0]
    assert feature["properties"]["location"].startswith("On or near")
    assert feature["properties"]["total"] == sum(feature["properties"]["counts"])
    assert data["synthetic"] is False


def test_hot_streets_are_ordered_and_limited(client, samples):
    data = get(client, "hot_streets", borough="E09000001", limit=5).json()
    totals = [f["properties"]["total"] for f in data["features"]]
    assert len(totals) == 5
    assert totals == sorted(totals, reverse=True)


def test_trend_has_every_month_in_the_range(client, samples):
    data = get(client, "trend").json()
    assert [row["month"] for row in data["trend"]] == [f"2025-0{m}" for m in range(1, 7)]
    assert data["trend"][1]["total"] > 0  # February: the Met sample
    assert data["trend"][2]["total"] == 0


def test_etag_and_last_modified_give_304(client, samples):
    first = get(client, "map_data", bbox=LONDON, zoom=10)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(
        reverse("mapping:map_data"),
        {**FILTERS, "bbox": LONDON, "zoom": 10},
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304
    # A new import changes the version, so the old ETag no longer matches.
    Dataset.objects.update(imported_at=Dataset.objects.first().imported_at.replace(year=2030))
    fresh = client.get(
        reverse("mapping:map_data"),
        {**FILTERS, "bbox": LONDON, "zoom": 10},
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("map_data", {"zoom": 10}, "bbox"),
        ("map_data", {"bbox": "1,2,3", "zoom": 10}, "bbox"),
        ("map_data", {"bbox": "0.1,51,-0.1,52", "zoom": 10}, "bbox"),
        ("map_data", {"bbox": LONDON}, "zoom"),
        ("map_data", {"bbox": LONDON, "zoom": "ten"}, "zoom"),
        ("map_data", {"bbox": LONDON, "zoom": 16}, "bbox"),  # too large for points
        ("points", {"bbox": LONDON}, "bbox"),
        ("map_data", {"bbox": LONDON, "zoom": 10, "month_from": "2025-13"}, "month_from"),
        ("areas", {"month_from": "0000-01"}, "month_from"),  # not a date at all
        ("trend", {"month_to": "9999-12"}, "month_to"),
        ("areas", {"month_from": "2025-06", "month_to": "2025-01"}, "month_to"),
        ("areas", {"month_from": "2020-01", "month_to": "2025-01"}, "month_to"),
        ("areas", {"category": "hoax-calls"}, "category"),
        ("areas", {"borough": "E09000099"}, "borough"),
        ("hot_streets", {"limit": 1000}, "limit"),
    ],
)
def test_bad_parameters_get_a_400_with_reasons(client, db, name, params, field):
    response = get(client, name, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


def test_responses_are_small_and_compact(client, samples):
    response = get(client, "map_data", bbox=",".join(map(str, LONDON_BBOX)), zoom=10)
    assert b", " not in response.content[:200]
    assert len(response.content) < 200_000


def test_synthetic_data_is_flagged(client, samples):
    Dataset.objects.filter(force="city-of-london-police").update(synthetic=True)
    data = get(client, "areas").json()
    assert data["synthetic"] is True
    assert "not real" in data["notice"]
