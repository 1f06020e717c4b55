"""The portal as an Open311 GeoReport v2 server under /open311/v2/ (thin views)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

import throttling
from reporting.forwarding import selectors
from reporting.forwarding.open311 import catalogue, formats
from reporting.forwarding.open311.requests import (
    Filed,
    Open311Error,
    file_request,
    find_requests,
    public_request,
)
from reporting.models import Report


def _jurisdiction_ok(request: HttpRequest) -> bool:
    given = (
        request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    ).strip()
    return not given or given == settings.OPEN311_JURISDICTION_ID


def _not_allowed(fmt: str, allowed: str) -> HttpResponse:
    response = formats.error(fmt, 405, "Method not allowed")
    response["Allow"] = allowed
    return response


@csrf_exempt  # read only: any other method gets a 405, not the CSRF check's 403
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed(fmt, "GET")
    if not _jurisdiction_ok(request):
        return formats.error(fmt, 404, "jurisdiction_id provided was not found")
    return formats.respond(fmt, "services", "service", catalogue.services())


@csrf_exempt  # read only: any other method gets a 405, not the CSRF check's 403
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed(fmt, "GET")
    if not catalogue.is_service(code):
        return formats.error(fmt, 404, "service_code provided was not found")
    definition = catalogue.definition(code)
    if fmt == "xml":
        return HttpResponse(formats.definition_xml(definition), content_type=formats.XML_TYPE)
    return HttpResponse(json.dumps(definition), content_type=formats.JSON_TYPE)


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        return _not_allowed(fmt, "GET, POST")
    if not _jurisdiction_ok(request):
        return formats.error(fmt, 404, "jurisdiction_id provided was not found")
    try:
        reports = find_requests(request.GET)
    except Open311Error as error:
        return formats.error(fmt, error.status, error.description)
    rows = [public_request(report) for report in reports]
    return formats.respond(fmt, "service_requests", "request", rows)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _jurisdiction_ok(request):
        return formats.error(fmt, 404, "jurisdiction_id provided was not found")
    api_key = selectors.api_key_for(request.POST.get("api_key") or request.GET.get("api_key", ""))
    if api_key is None:
        return formats.error(fmt, 403, "api_key is missing or not valid")
    limit = settings.OPEN311_REQUESTS_PER_KEY_PER_HOUR
    if not throttling.allow_key(scope="open311-post", key=str(api_key.pk), limit=limit):
        response = formats.error(
            fmt, 429, f"This api_key has filed {limit} requests this hour; try again later"
        )
        response["Retry-After"] = str(throttling.retry_after())
        return response
    try:
        report = file_request(form=request.POST, api_key=api_key)
    except Open311Error as error:
        return formats.error(fmt, error.status, error.description)
    return formats.respond(fmt, "service_requests", "request", [Filed(report).row()])


@csrf_exempt  # read only: any other method gets a 405, not the CSRF check's 403
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed(fmt, "GET")
    report = Report.objects.filter(reference=request_id).first()
    if report is None:
        return formats.error(fmt, 404, "service_request_id provided was not found")
    return formats.respond(fmt, "service_requests", "request", [public_request(report)])
