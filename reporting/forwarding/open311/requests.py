"""Reading and writing service requests for the portal's Open311 server, without HTTP.

Filing: the POSTed form becomes a ``ReportDraft`` and goes through the same
``submit_report`` (routing, screening, risk) and forwarding as a report from the web form.
Reading: only public fields; no personal data, not the resident's own words, and the
location snapped to a coarse grid (left out for personal or high-risk reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from geography.boundaries import borough_name
from reporting.drafts import ContactDetails, ReportDraft
from reporting.forwarding import services as forwarding
from reporting.forwarding.models import Open311ApiKey
from reporting.forwarding.open311.catalogue import is_service
from reporting.models import Report, ReportContact, RiskLevel, Status
from reporting.risk import QUESTION_BY_KEY
from standards.categories import QUALIFIER_BY_CODE

LONDON = ZoneInfo("Europe/London")
DEFAULT_WINDOW = timedelta(days=90)
# start_date and end_date outside these years are refused (no report is that old, and
# year 1 or 9999 cannot be moved to UTC or back 90 days).
DATE_YEARS = (1970, 2999)
EMAIL_MAX = ReportContact._meta.get_field("email").max_length  # 254


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _one(form, name: str) -> str:
    """One field as text; a NUL character (which no text column can hold) is an error."""
    value = str(form.get(name, "")).strip()
    if "\x00" in value:
        raise Open311Error(400, f"{name} must not contain NUL characters")
    return value


def _float(form, name: str) -> float | None:
    value = _one(form, name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name} must be a decimal number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Open311Error(400, f"{name} must be a decimal number")
    return number


def _location(form) -> tuple[float | None, float | None, str, str]:
    """(lat, long, source, description) from lat/long or address_string."""
    lat, lon = _float(form, "lat"), _float(form, "long")
    address = _one(form, "address_string")[:500]
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Open311Error(400, "lat and long are out of range")
        return lat, lon, "coordinates", address
    if (lat is None) != (lon is None):
        raise Open311Error(400, "Give both lat and long")
    if address:
        from geography.geocoding import geocode
        from geography.place import GeocoderUnavailable

        try:
            places = geocode(address, limit=1)
        except GeocoderUnavailable:
            raise Open311Error(
                503, "The address could not be looked up; send lat and long"
            ) from None
        if not places:
            raise Open311Error(400, "address_string was not found; send lat and long")
        return places[0].latitude, places[0].longitude, "search", address
    raise Open311Error(400, "A location is required: lat and long, or address_string")


def _screening(form) -> dict:
    answers: dict = {}
    for key, question in QUESTION_BY_KEY.items():
        values = form.getlist(f"attribute[{key}][]") if hasattr(form, "getlist") else []
        single = _one(form, f"attribute[{key}]")
        if single:
            values = [*values, *[v.strip() for v in single.split(",") if v.strip()]]
        if not values:
            continue
        allowed = {option.value for option in question.options}
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise Open311Error(400, f"attribute[{key}] has an unknown value: {unknown[0]}")
        if question.multiple:
            answers[key] = list(dict.fromkeys(values))
        elif len(values) > 1:
            raise Open311Error(400, f"attribute[{key}] takes one value")
        else:
            answers[key] = values[0]
    return answers


def _contact(form) -> ContactDetails | None:
    email = _one(form, "email")
    phone = _one(form, "phone")[:40]
    if not email and not phone:
        return None
    if len(email) > EMAIL_MAX:
        raise Open311Error(400, f"email must be {EMAIL_MAX} characters or fewer")
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, "email is not a valid email address") from None
    name = " ".join(part for part in (_one(form, "first_name"), _one(form, "last_name")) if part)
    return ContactDetails(name=name[:200], email=email, phone=phone)


def draft_from_form(form) -> tuple[str, ReportDraft]:
    """(service_code, draft) from a POST requests form; Open311Error if it cannot be filed."""
    code = _one(form, "service_code")
    if not code:
        raise Open311Error(400, "service_code was not provided")
    if not is_service(code):
        raise Open311Error(404, "service_code provided was not found")
    qualifier = _one(form, "attribute[qualifier]")
    if qualifier not in QUALIFIER_BY_CODE:
        raise Open311Error(400, "attribute[qualifier] is required: " + ", ".join(QUALIFIER_BY_CODE))
    description = _one(form, "description")[:5000]
    if not description:
        raise Open311Error(400, "description was not provided")
    lat, lon, source, where = _location(form)
    draft = ReportDraft(
        category=code,
        qualifier=qualifier,
        description=description,
        latitude=lat,
        longitude=lon,
        location_source=source,
        location_description=where,
        screening=_screening(form),
        contact=_contact(form),
    )
    return code, draft


def file_request(*, form, api_key: Open311ApiKey) -> Report:
    """File a report from an Open311 POST: same routing, screening and forwarding."""
    from reporting.routing import OutsideLondon
    from reporting.services import submit_report

    code, draft = draft_from_form(form)
    try:
        with transaction.atomic():
            submitted = submit_report(draft=draft)
            forwarding.record_open311_submission(
                report=submitted.report, api_key=api_key, service_code=code
            )
    except OutsideLondon:
        raise Open311Error(400, "The location is outside London") from None
    forwarding.touch_open311_key(api_key=api_key)
    return submitted.report


# --- reading ----------------------------------------------------------------------------


def _when(value) -> str:
    return value.astimezone(LONDON).isoformat(timespec="seconds") if value else ""


def _coarse(value: float) -> float:
    grid = settings.OPEN311_PUBLIC_GRID_DEGREES
    return round(round(value / grid) * grid, 6)


def public_request(report: Report) -> dict:
    row = {
        "service_request_id": report.reference,
        "status": "closed" if report.status == Status.CLOSED else "open",
        "status_notes": report.get_status_display(),
        "service_name": report.category_label,
        "service_code": report.category,
        "description": "",
        "agency_responsible": borough_name(report.borough_code) or "",
        "service_notice": "",
        "requested_datetime": _when(report.created_at),
        "updated_datetime": _when(report.updated_at),
        "expected_datetime": "",
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": "",
    }
    private = report.qualifier == "personal" or report.risk_level == RiskLevel.HIGH
    if report.has_point and not private:
        row["lat"] = _coarse(report.latitude)
        row["long"] = _coarse(report.longitude)
    return row


def _date(query, name: str):
    value = str(query.get(name, "")).strip()
    if not value:
        return None
    message = f"{name} must be a W3C date-time, e.g. 2011-01-01T00:00:00Z"
    try:  # None when not shaped like a date-time; ValueError for 30 February or 25:00
        parsed = parse_datetime(value.replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, message)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    if not DATE_YEARS[0] <= parsed.year <= DATE_YEARS[1]:
        raise Open311Error(400, f"{message}, between {DATE_YEARS[0]} and {DATE_YEARS[1]}")
    return parsed


def _list(query, name: str) -> list[str]:
    """A comma-separated query parameter as its non-empty values."""
    values = [value.strip() for value in str(query.get(name, "")).split(",")]
    if any("\x00" in value for value in values):
        raise Open311Error(400, f"{name} must not contain NUL characters")
    return [value for value in values if value]


def find_requests(query) -> QuerySet[Report]:
    reports = Report.objects.order_by("-created_at")
    ids = _list(query, "service_request_id")
    if ids:
        return reports.filter(reference__in=ids[: settings.OPEN311_MAX_REQUESTS])
    codes = _list(query, "service_code")
    if codes:
        reports = reports.filter(category__in=codes)
    statuses = set(_list(query, "status"))
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise Open311Error(400, "status must be open or closed")
    if statuses == {"open"}:
        reports = reports.exclude(status=Status.CLOSED)
    elif statuses == {"closed"}:
        reports = reports.filter(status=Status.CLOSED)
    start, end = _date(query, "start_date"), _date(query, "end_date")
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    reports = reports.filter(created_at__gte=start)
    if end is not None:
        reports = reports.filter(created_at__lte=end)
    return reports[: settings.OPEN311_MAX_REQUESTS]


@dataclass(frozen=True)
class Filed:
    report: Report

    def row(self) -> dict:
        return {
            "service_request_id": self.report.reference,
            "service_notice": "Urgent: the borough is asked to call back today."
            if self.report.urgent_callback
            else "",
            "account_id": "",
        }
