"""Finding earlier reports from the same person or about the same place.

A new report is linked to earlier ones made in the last 12 months (``REPEAT_WINDOW_DAYS``)
that share a contact (the same email, compared case-insensitively, or the same phone
number, compared by its last 10 digits so +44 7700 900123 and 07700 900123 match), or that
lie within ``SAME_PLACE_METRES`` (50 m, by the haversine distance; a latitude/longitude
box prefilters in SQL so only close candidates are loaded). Links made in the last
3 months (``RECENT_DAYS``) count towards the risk score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from reporting.models import RepeatLink, Report
from reporting.risk import RepeatCounts

SAME_PLACE_METRES = 50.0
REPEAT_WINDOW_DAYS = 365
RECENT_DAYS = 91
EARTH_RADIUS_M = 6_371_008.8
PHONE_DIGITS_KEPT = 10


@dataclass(frozen=True)
class Repeat:
    report: Report
    reason: str
    distance_m: float | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def phone_digits(phone: str) -> str:
    """The last 10 digits of a UK number: the same for 07700 900123 and +44 7700 900123."""
    digits = re.sub(r"\D", "", phone)
    return digits[-PHONE_DIGITS_KEPT:] if len(digits) >= 7 else ""


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _box(latitude: float, longitude: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / 111_000.0
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def find_repeats(
    *,
    email: str = "",
    phone: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime | None = None,
    exclude_id: int | None = None,
) -> list[Repeat]:
    """Earlier reports in the window from the same contact or within 50 m, newest first."""
    now = now or timezone.now()
    since = now - timedelta(days=REPEAT_WINDOW_DAYS)
    window = Report.objects.filter(created_at__gte=since, created_at__lte=now)
    if exclude_id is not None:
        window = window.exclude(pk=exclude_id)
    found: list[Repeat] = []
    email_key, phone_key = normalise_email(email), phone_digits(phone)
    if email_key or phone_key:
        query = Q()
        if email_key:
            query |= Q(contact__email_normalised=email_key)
        if phone_key:
            query |= Q(contact__phone_digits=phone_key)
        for report in window.filter(query).order_by("-created_at"):
            found.append(Repeat(report, RepeatLink.Reason.SAME_CONTACT))
    if latitude is not None and longitude is not None:
        south, north, west, east = _box(latitude, longitude, SAME_PLACE_METRES)
        nearby = window.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        ).order_by("-created_at")
        for report in nearby:
            distance = haversine_m(latitude, longitude, report.latitude, report.longitude)
            if distance <= SAME_PLACE_METRES:
                found.append(Repeat(report, RepeatLink.Reason.SAME_PLACE, round(distance, 1)))
    return found


def recent_counts(repeats: list[Repeat], *, now: datetime | None = None) -> RepeatCounts:
    """How many distinct earlier reports of each kind fall in the last 3 months."""
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    contact = {r.report.pk for r in repeats if r.reason == "same_contact"}
    place = {r.report.pk for r in repeats if r.reason == "same_place"} - contact
    recent = {r.report.pk for r in repeats if r.report.created_at >= since}
    return RepeatCounts(same_contact=len(contact & recent), same_place=len(place & recent))
