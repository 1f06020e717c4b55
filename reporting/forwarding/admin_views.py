"""Open311 keys in the Wagtail admin (superusers only): issue one, revoke one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from reporting.forwarding import services
from reporting.forwarding.models import Open311ApiKey


def _require_superuser(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


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
