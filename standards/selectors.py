"""Reads of published standards pages, used by the portal, mapping and reporting."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from threading import Lock

from django.core.cache import cache
from django.core.exceptions import ValidationError

from geography import boundaries
from standards.validators import WARD_CODE_RE

# The neighbourhood areas are loaded once per process and reused until any process
# publishes, unpublishes, moves or deletes a borough or neighbourhood page: that bumps a
# version in the shared cache, and every process reloads on its next lookup.
AREAS_VERSION_KEY = "standards:neighbourhood-areas:version"
NEAREST_BOUNDARY_TOLERANCE_M = 500.0
_areas_lock = Lock()
_areas_state: dict = {"version": None, "areas": ()}


@dataclass(frozen=True)
class NeighbourhoodArea:
    page_id: int
    title: str
    borough_code: str
    borough_title: str
    centre: tuple[float, float] | None
    area: boundaries.Area | None


def live_borough_pages() -> list:
    """Live, public borough pages ordered by title."""
    from standards.models import BoroughPage

    return list(BoroughPage.objects.live().public().order_by("title"))


def borough_page_for_code(code: str):
    """The live borough page for an ONS code (E09...), or None."""
    from standards.models import BoroughPage

    return BoroughPage.objects.live().public().filter(ons_code=code).first()


def live_neighbourhood_for_ward_code(ward_code: str):
    """The live, public neighbourhood page for an ONS ward code (E05...), or None."""
    from standards.models import NeighbourhoodPage

    if not WARD_CODE_RE.fullmatch(ward_code):  # not a ward code (nor a NUL to query)
        return None
    return (
        NeighbourhoodPage.objects.live().public().filter(ward_code=ward_code).order_by("path")
    ).first()


def invalidate_neighbourhood_areas() -> None:
    cache.set(AREAS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    with _areas_lock:
        _areas_state["version"] = None


def neighbourhood_areas() -> tuple[NeighbourhoodArea, ...]:
    """Every live, public neighbourhood with its borough, centre and boundary (cached)."""
    version = cache.get(AREAS_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(AREAS_VERSION_KEY, version, timeout=None)
        version = cache.get(AREAS_VERSION_KEY, version)
    with _areas_lock:
        if _areas_state["version"] == version:
            return _areas_state["areas"]
    areas = _load_neighbourhood_areas()
    with _areas_lock:
        _areas_state.update(version=version, areas=areas)
    return areas


def _load_neighbourhood_areas() -> tuple[NeighbourhoodArea, ...]:
    from standards.models import BoroughPage, NeighbourhoodPage

    boroughs = {
        page.path: page
        for page in BoroughPage.objects.live().public().only("path", "title", "ons_code")
    }
    loaded = []
    pages = (
        NeighbourhoodPage.objects.live()
        .public()
        .only("id", "path", "depth", "title", "ward_code", "centre_latitude", "centre_longitude")
        .order_by("path")
    )
    for page in pages:
        borough = boroughs.get(page.path[: -NeighbourhoodPage.steplen])
        if borough is None:
            continue
        loaded.append(
            NeighbourhoodArea(
                page_id=page.pk,
                title=page.title,
                borough_code=borough.ons_code,
                borough_title=borough.title,
                centre=page.centre,
                area=None,
            )
        )
    # Boundaries can be large: read them in a second, narrow query.
    boundaries = dict(
        NeighbourhoodPage.objects.filter(pk__in=[item.page_id for item in loaded])
        .exclude(boundary="")
        .values_list("pk", "boundary")
    )
    if boundaries:
        from standards.validators import parse_boundary

        def with_area(item: NeighbourhoodArea) -> NeighbourhoodArea:
            text = boundaries.get(item.page_id)
            if not text:
                return item
            try:
                area = parse_boundary(text, code=str(item.page_id), name=item.title)
            except ValidationError:  # a broken boundary must not break lookups
                area = None
            return NeighbourhoodArea(**{**item.__dict__, "area": area})

        loaded = [with_area(item) for item in loaded]
    return tuple(loaded)


def neighbourhood_page_for_point(latitude: float, longitude: float):
    """The live neighbourhood page for a point, or None.

    The neighbourhood whose boundary contains the point; failing that, among the
    neighbourhoods of the point's borough that have no boundary, the one with the
    nearest centre; failing that, the borough's neighbourhood with the nearest boundary
    within NEAREST_BOUNDARY_TOLERANCE_M (a point on the river or a boundary's edge).
    """
    from standards.models import NeighbourhoodPage

    item = _neighbourhood_area_for_point(latitude, longitude)
    if item is None:
        return None
    return NeighbourhoodPage.objects.live().filter(pk=item.page_id).first()


def _neighbourhood_area_for_point(latitude: float, longitude: float) -> NeighbourhoodArea | None:
    code = boundaries.borough_for(latitude, longitude)
    if code is None:
        return None
    areas = neighbourhood_areas()
    for item in areas:
        if item.area is not None and item.area.contains(latitude, longitude):
            return item
    in_borough = [item for item in areas if item.borough_code == code]
    candidates = [item for item in in_borough if item.area is None and item.centre]
    if candidates:
        return min(candidates, key=lambda item: _distance_m(latitude, longitude, *item.centre))
    # Every team here has a boundary: a point on the river or just off a mapped boundary
    # belongs to the nearest one close by.
    bounded = [item.area for item in in_borough if item.area is not None]
    nearest = boundaries.area_for(
        latitude, longitude, bounded, tolerance_m=NEAREST_BOUNDARY_TOLERANCE_M
    )
    return next((item for item in in_borough if item.area is nearest), None) if nearest else None


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * boundaries.EARTH_RADIUS_M * math.asin(math.sqrt(a))


def neighbourhood_places() -> list[tuple[str, float, float]]:
    """(label, latitude, longitude) of each live neighbourhood page, for the gazetteer."""
    return [
        (f"{item.title}, {item.borough_title}", *item.centre)
        for item in neighbourhood_areas()
        if item.centre is not None
    ]
