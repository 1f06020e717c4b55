"""The map's grid: Web Mercator tiles, as Leaflet uses them. Pure functions, no Django.

Cells shown at map zoom ``z`` are 64 px squares: the tiles of zoom ``z + 2``. Each snap
point stores its tile at the finest cell zoom (``CELL_ZOOMS[-1] + 2``); the tile at a
coarser zoom is that divided by a power of two.
"""

from __future__ import annotations

import math

CELL_ZOOMS = range(9, 15)  # map zooms drawn as cells; from POINTS_MIN_ZOOM, single points
POINTS_MIN_ZOOM = CELL_ZOOMS[-1] + 1
CELL_TILE_OFFSET = 2  # a cell is a tile two zooms deeper: 256 px / 4 = 64 px
BASE_TILE_ZOOM = CELL_ZOOMS[-1] + CELL_TILE_OFFSET
MAX_LATITUDE = 85.0511287798


def tile_xy(latitude: float, longitude: float, zoom: int = BASE_TILE_ZOOM) -> tuple[int, int]:
    """The slippy-map tile (x, y) containing the point at ``zoom``."""
    n = 1 << zoom
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    x = int((longitude + 180.0) / 360.0 * n)
    lat_rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(x: int, y: int, zoom: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile in degrees."""
    n = 1 << zoom

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y))


def cell_zoom_for(map_zoom: int) -> int:
    """The cell grid used at a map zoom (clamped to the grids we store)."""
    return max(CELL_ZOOMS[0], min(CELL_ZOOMS[-1], map_zoom))


def cell_divisor(cell_zoom: int) -> int:
    """Divide a base tile index by this to get the cell index at ``cell_zoom``."""
    return 1 << (CELL_ZOOMS[-1] - cell_zoom)


def cell_range(
    bbox: tuple[float, float, float, float], cell_zoom: int
) -> tuple[int, int, int, int]:
    """(min x, min y, max x, max y) of the cells at ``cell_zoom`` touching the bbox."""
    west, south, east, north = bbox
    tile_zoom = cell_zoom + CELL_TILE_OFFSET
    x0, y0 = tile_xy(north, west, tile_zoom)
    x1, y1 = tile_xy(south, east, tile_zoom)
    return x0, y0, x1, y1


def cell_bounds(x: int, y: int, cell_zoom: int) -> tuple[float, float, float, float]:
    return tile_bounds(x, y, cell_zoom + CELL_TILE_OFFSET)
