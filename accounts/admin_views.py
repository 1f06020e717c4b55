"""Staff sign-in in the Wagtail admin: a person's own two-step verification page, and the
"Locked accounts" page where administrators unlock accounts and internet addresses."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from accounts import selectors, services
from accounts.lockout import duration_text

VIEW_LOCKOUTS = "axes.view_accessattempt"
UNLOCK = "axes.delete_accessattempt"
KIND_LABELS = {"username": "account", "ip_address": "internet address"}


@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Two-step verification: the authenticator app, passkeys and recovery codes."""
    user = request.user
    here = reverse("accounts_admin:security")
    return TemplateResponse(
        request,
        "accounts/admin/security.html",
        {
            "header_title": "Two-step verification",
            "page_title": "Two-step verification",
            "authenticator": selectors.authenticator(user),
            "passkeys": list(selectors.passkeys(user)),
            "codes_left": selectors.recovery_codes_left(user),
            "here": here,
        },
    )


@require_POST
def remove_passkey(request: HttpRequest, pk: int) -> HttpResponse:
    if services.remove_passkey(user=request.user, pk=pk):
        services.keep_verified(request=request)
        messages.success(request, "The passkey was removed. It no longer signs you in.")
    else:
        messages.error(
            request, "That passkey was not removed: you need another way to sign in first."
        )
    return redirect("accounts_admin:security")


@require_POST
def remove_authenticator(request: HttpRequest) -> HttpResponse:
    if services.remove_authenticator(user=request.user):
        services.keep_verified(request=request)
        messages.success(request, "The authenticator app was removed.")
    else:
        messages.error(request, "The authenticator app was not removed: add a passkey first.")
    return redirect("accounts_admin:security")


@never_cache
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Accounts and internet addresses locked out after too many wrong passwords."""
    if not request.user.has_perm(VIEW_LOCKOUTS):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm(UNLOCK):
            raise PermissionDenied
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
        if kind in KIND_LABELS and value:
            services.unlock(kind=kind, value=value)
            messages.success(request, f"The {KIND_LABELS[kind]} {value} is unlocked.")
        return redirect("accounts_lockouts:lockouts")
    found = selectors.lockouts()
    return TemplateResponse(
        request,
        "accounts/admin/lockouts.html",
        {
            "header_title": "Locked accounts",
            "page_title": "Locked accounts",
            "accounts": [lock for lock in found if lock.kind == "username"],
            "addresses": [lock for lock in found if lock.kind == "ip_address"],
            "may_unlock": request.user.has_perm(UNLOCK),
            "limit": settings.AXES_FAILURE_LIMIT,
            "cool_off": duration_text(cool_off) if (cool_off := get_cool_off()) else "",
        },
    )
