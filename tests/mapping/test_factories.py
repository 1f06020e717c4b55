"""The mapping factories make rows as an import does: what they build, the map reads."""

from __future__ import annotations

import datetime as dt

from mapping import grid, selectors
from mapping.factories import (
    AreaMonthFactory,
    CellMonthFactory,
    DatasetFactory,
    PointMonthFactory,
    SnapPointFactory,
)
from mapping.models import AreaMonth

JANUARY, FEBRUARY = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
BOTH = selectors.Filters(month_from=JANUARY, month_to=FEBRUARY)


def test_counts_at_a_snap_point_are_found_in_its_bbox_and_ranked(db):
    busy = SnapPointFactory(location="On or near Mare Street")
    quiet = SnapPointFactory(location="On or near Amhurst Road")
    PointMonthFactory(snap=busy, asb=3)
    PointMonthFactory(snap=busy, asb=2, dataset=DatasetFactory(month=FEBRUARY))
    PointMonthFactory(snap=quiet, asb=1)
    bbox = (-0.07, 51.54, -0.04, 51.56)
    assert {p["location"]: p["total"] for p in selectors.points(BOTH, bbox)} == {
        "On or near Mare Street": 5,
        "On or near Amhurst Road": 1,
    }
    streets = selectors.hot_streets(BOTH, borough_code="E09000012")
    assert [street["location"] for street in streets][:2] == [busy.location, quiet.location]
    assert (busy.tile_x, busy.tile_y) == grid.tile_xy(busy.latitude, busy.longitude)


def test_a_dataset_is_one_per_force_month_and_kind(db):
    assert DatasetFactory() == DatasetFactory()
    assert DatasetFactory(synthetic=True) != DatasetFactory()
    assert str(DatasetFactory(month=FEBRUARY)) == "Metropolitan Police Service 2025-02"


def test_cells_and_areas_are_read_by_the_map_and_the_trend(db):
    CellMonthFactory(asb=4)
    zoom, cells = selectors.cells(BOTH, (-0.07, 51.54, -0.04, 51.56), map_zoom=grid.BASE_TILE_ZOOM)
    assert zoom == grid.BASE_TILE_ZOOM
    assert [cell["total"] for cell in cells] == [4]
    assert abs(cells[0]["latitude"] - 51.545) < 1e-9
    AreaMonthFactory(asb=7)
    AreaMonthFactory(kind=AreaMonth.WARD, code="E05009372", asb=2)
    hackney = next(a for a in selectors.area_totals(BOTH) if a["code"] == "E09000012")
    assert hackney["name"] == "Hackney" and hackney["total"] == 7
    assert [m["total"] for m in selectors.trend(BOTH, code="E09000012")] == [7, 0]
    assert selectors.area_totals(BOTH, kind=AreaMonth.WARD)[0]["total"] == 2
