"""Staff views in the Wagtail admin: deliveries (with "retry now"), Open311 keys and the
call-back survey results. Each view checks the user's boroughs (reporting.selectors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from reporting import selectors as reporting_selectors
from reporting.forwarding import selectors, services
from reporting.forwarding.models import DeliveryState, Open311ApiKey

PER_PAGE = 50


def _codes(request: HttpRequest) -> set[str] | None:
    if not reporting_selectors.is_reporting_staff(request.user):
        raise PermissionDenied
    return reporting_selectors.staff_borough_codes(request.user)


def _require_superuser(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


def delivery_list(request: HttpRequest, state: str = "") -> HttpResponse:
    codes = _codes(request)
    state = state or request.GET.get("state", "")
    deliveries = selectors.deliveries_for_boroughs(codes)
    if state in DeliveryState.values:
        deliveries = deliveries.filter(state=state)
    page = Paginator(deliveries.order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("p")
    )
    counts = selectors.delivery_counts(codes)
    title = "Failed deliveries" if state == DeliveryState.DEAD else "Case system deliveries"
    return TemplateResponse(
        request,
        "forwarding/admin/deliveries.html",
        {
            "header_title": title,
            "page_title": title,
            "page_obj": page,
            "deliveries": page.object_list,
            "state": state,
            "states": [
                (value, label, counts.get(value, 0)) for value, label in DeliveryState.choices
            ],
        },
    )


def failed(request: HttpRequest) -> HttpResponse:
    return delivery_list(request, state=DeliveryState.DEAD)


def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    codes = _codes(request)
    delivery = get_object_or_404(selectors.deliveries_for_boroughs(codes), pk=pk)
    return TemplateResponse(
        request,
        "forwarding/admin/delivery.html",
        {
            "header_title": f"Delivery of {delivery.report.reference}",
            "page_title": f"Delivery of {delivery.report.reference}",
            "delivery": delivery,
            "attempts": delivery.attempt_log.order_by("started_at", "id"),
            "can_retry": delivery.state in (DeliveryState.DEAD, DeliveryState.RETRYING),
        },
    )


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    codes = _codes(request)
    delivery = get_object_or_404(selectors.deliveries_for_boroughs(codes), pk=pk)
    if services.retry_now(delivery=delivery):
        messages.success(request, f"{delivery.report.reference} will be sent again now.")
    else:
        messages.error(request, f"{delivery.report.reference} is not waiting to be retried.")
    return redirect("forwarding_admin:delivery", pk=pk)


def keys(request: HttpRequest) -> HttpResponse:
    _require_superuser(request)
    new_key = ""
    name_error = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            name_error = "Enter who the key is for"
        else:
            _, new_key = services.issue_open311_key(name=name, user=request.user)
    return TemplateResponse(
        request,
        "forwarding/admin/keys.html",
        {
            "header_title": "Open311 API keys",
            "page_title": "Open311 API keys",
            "keys": Open311ApiKey.objects.all(),
            "new_key": new_key,
            "name_error": name_error,
        },
    )


@require_POST
def revoke_key(request: HttpRequest, pk: int) -> HttpResponse:
    _require_superuser(request)
    api_key = get_object_or_404(Open311ApiKey, pk=pk)
    services.revoke_open311_key(api_key=api_key)
    messages.success(request, f"The key for {api_key.name} no longer works.")
    return redirect("forwarding_admin:keys")


def callbacks(request: HttpRequest) -> HttpResponse:
    codes = _codes(request)
    return TemplateResponse(
        request,
        "forwarding/admin/callbacks.html",
        {
            "header_title": "Call-back survey results",
            "page_title": "Call-back survey results",
            "boroughs": selectors.callback_summary(codes),
        },
    )
