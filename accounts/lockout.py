"""django-axes' answer to a locked-out sign-in: our plain-English page, 429 like axes'."""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def duration_text(delta: timedelta) -> str:
    """1 hour, 2 hours, 30 minutes: how long a lockout lasts, in words."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page shown instead of the sign-in form."""
    cool_off = get_cool_off(request)
    response = TemplateResponse(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "cool_off": duration_text(cool_off) if cool_off else "",
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return response.render()
