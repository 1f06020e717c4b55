"""Thin views: the inbound status endpoint case systems post updates to."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from reporting.forwarding import inbound, selectors, services
from reporting.forwarding.models import InboundUpdate


@csrf_exempt
@require_POST
def case_update(request: HttpRequest, borough_code: str) -> JsonResponse:
    """POST /api/case-updates/<ONS code>/ from a borough's case system."""
    body = request.body
    config = selectors.config_for(borough_code)
    try:
        inbound.authenticate(config, request.headers, body)
        update = inbound.parse_update(body)
        outcome = services.record_case_update(
            borough_code=borough_code, update=update, source=InboundUpdate.Source.PUSH
        )
    except inbound.InboundError as error:
        return JsonResponse({"error": error.code, "detail": error.message}, status=error.status)
    except services.UnknownReport:
        return JsonResponse(
            {
                "error": "unknown_report",
                "detail": "No report of this borough has that reference or service_request_id.",
            },
            status=404,
        )
    return JsonResponse(
        {
            "result": "duplicate" if outcome.duplicate else "applied",
            "reference": outcome.report.reference,
            "status": outcome.report.status if not outcome.duplicate else outcome.portal_status,
        }
    )
