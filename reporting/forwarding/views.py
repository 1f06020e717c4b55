"""Thin views: the inbound status endpoint and the resident's call-back survey."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from reporting.forwarding import inbound, selectors, services
from reporting.forwarding.forms import CallbackForm
from reporting.forwarding.models import InboundUpdate
from reporting.models import Status


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


@never_cache
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, token: str) -> HttpResponse:
    survey = selectors.survey_for_token(token)
    if survey is None or survey.report.status != Status.CLOSED:
        raise Http404("No such survey")
    if survey.answered_at is not None:
        return render(request, "forwarding/callback_done.html", {"survey": survey})
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_callback(survey=survey, answers=form.cleaned_data)
        return render(request, "forwarding/callback_done.html", {"survey": survey})
    return render(request, "forwarding/callback.html", {"survey": survey, "form": form})
