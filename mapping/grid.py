"""The map's grid: Web Mercator tiles, as Leaflet uses them. Pure functions, no Django.

Counts are stored per grid cell for three grids: the tiles of zoom 11, 13 and 15
(``CELL_TILE_ZOOMS``). A map at zoom ``z`` draws the grid whose cells are 64 or 128
pixels across; from ``POINTS_MIN_ZOOM`` it draws single snap points instead. Each snap
point stores its tile at ``BASE_TILE_ZOOM``; its tile at a coarser grid is that divided
by a power of two.
"""

from __future__ import annotations

import math

CELL_TILE_ZOOMS = (11, 13, 15)
BASE_TILE_ZOOM = CELL_TILE_ZOOMS[-1]
POINTS_MIN_ZOOM = 15
MAX_LATITUDE = 85.0511287798


def tile_xy(latitude: float, longitude: float, zoom: int = BASE_TILE_ZOOM) -> tuple[int, int]:
    """The slippy-map tile (x, y) containing the point at ``zoom``."""
    n = 1 << zoom
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    x = int((longitude + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(x: int, y: int, zoom: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile in degrees."""
    n = 1 << zoom

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y))


def cell_zoom_for(map_zoom: int) -> int:
    """The grid (a tile zoom) drawn at a map zoom: cells of 64 or 128 pixels."""
    wanted = map_zoom + 2 if map_zoom % 2 else map_zoom + 1
    return max(CELL_TILE_ZOOMS[0], min(CELL_TILE_ZOOMS[-1], wanted))


def cell_range(
    bbox: tuple[float, float, float, float], cell_zoom: int
) -> tuple[int, int, int, int]:
    """(min x, min y, max x, max y) of the cells at ``cell_zoom`` touching the bbox."""
    west, south, east, north = bbox
    x0, y0 = tile_xy(north, west, cell_zoom)
    x1, y1 = tile_xy(south, east, cell_zoom)
    return x0, y0, x1, y1
