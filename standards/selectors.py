"""Reads of published standards pages. Filled in by the standards pages work."""

from __future__ import annotations


def live_borough_pages() -> list:
    return []


def borough_page_for_code(code: str):
    return None


def neighbourhood_page_for_point(latitude: float, longitude: float):
    return None


def neighbourhood_places() -> list[tuple[str, float, float]]:
    """(label, latitude, longitude) of each live neighbourhood page, for the gazetteer."""
    return []
