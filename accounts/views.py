"""The second step of signing in, setting up a second factor, recovery codes, and the
throttled password reset. Pages in the Wagtail sign-in look (templates/accounts/).

Views validate and delegate to ``accounts.services``; the middleware decides who must
come here (``accounts.middleware``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import PasswordResetView

import throttling
from accounts import policy, qr, selectors, services
from accounts.forms import AuthenticatorCodeForm, RecoveryCodeForm

NEW_CODES_SESSION_KEY = "accounts_new_recovery_codes"
SIGN_IN_URL = "wagtailadmin_login"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _refused(check: services.Check, *, what: str) -> str:
    if check.throttled:
        return (
            f"Too many wrong codes. Wait {check.retry_after} "
            f"second{'s' if check.retry_after != 1 else ''}, then try again."
        )
    return f"That {what} is not right. Check it and try again."


@never_cache
@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a passkey."""
    user = request.user
    next_url = _next_url(request)
    if not policy.needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    if not selectors.has_second_factor(user):
        return redirect(_with_next("accounts:setup", next_url))
    device = selectors.authenticator(user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.check_code(user=user, device=device, code=form.cleaned_data["code"])
        if check.accepted:
            services.mark_verified(request=request, device=device)
            return redirect(next_url)
        form.add_error("code", _refused(check, what="code"))
    return TemplateResponse(
        request,
        "accounts/verify.html",
        {
            "form": form if device is not None else None,
            "has_passkeys": selectors.passkeys(user).exists(),
            "has_recovery_codes": selectors.recovery_codes_left(user) > 0,
            "next": next_url,
        },
    )


@never_cache
@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def verify_recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code (each code works once)."""
    user = request.user
    next_url = _next_url(request)
    if not policy.needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    device = selectors.recovery_device(user)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.check_code(user=user, device=device, code=form.cleaned_data["code"])
        if check.accepted:
            services.mark_verified(request=request, device=device)
            return redirect(next_url)
        form.add_error("code", _refused(check, what="recovery code"))
    return TemplateResponse(
        request,
        "accounts/verify_recovery.html",
        {"form": form, "next": next_url, "codes_left": selectors.recovery_codes_left(user)},
    )


@never_cache
@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a passkey): forced at first sign-in; later, from
    the two-step verification page, by someone who has given their second factor."""
    user = request.user
    next_url = _next_url(request)
    if not policy.needs_second_factor(user):
        return redirect(next_url)
    if not user.is_verified() and selectors.has_second_factor(user):
        return redirect(_with_next("accounts:verify", next_url))
    device = services.start_authenticator(user=user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        check = services.confirm_authenticator(user=user, device=device, code=code)
        if check.accepted:
            first_time = not user.is_verified()
            services.mark_verified(request=request, device=device)
            if first_time or selectors.recovery_codes_left(user) == 0:
                request.session[NEW_CODES_SESSION_KEY] = services.issue_recovery_codes(user=user)
                return redirect(_with_next("accounts:recovery_codes", next_url))
            return redirect(next_url)
        form.add_error("code", _refused(check, what="code"))
    return TemplateResponse(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": qr.qr_svg(device.config_url),
            "secret": qr.secret_text(device),
            "otpauth_uri": device.config_url,
            "replacing": selectors.authenticator(user) is not None,
            "next": next_url,
            "passkeys_done_url": _with_next("accounts:recovery_codes", next_url),
        },
    )


@never_cache
@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once. GET shows the codes just made (at set-up, or the
    first set after a passkey was registered); POST makes a new set."""
    user = request.user
    next_url = _next_url(request)
    if not policy.needs_second_factor(user):
        return redirect(next_url)
    if not user.is_verified():
        return redirect(_with_next("accounts:verify", next_url))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.issue_recovery_codes(user=user)
        return redirect(_with_next("accounts:recovery_codes", next_url))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if codes is None and selectors.recovery_codes_left(user) == 0:
        codes = services.issue_recovery_codes(user=user)
    return TemplateResponse(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "codes_left": selectors.recovery_codes_left(user), "next": next_url},
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, limited per internet address and per email address.

    Every request counts, whether or not the address belongs to an account, so the
    answer (the "check your email" page, or the limit page) never tells which it is.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "").strip().lower()
        if not throttling.allow(
            request,
            scope="password-reset",
            limit=settings.ACCOUNTS_PASSWORD_RESETS_PER_HOUR,
            key=f"email:{email}" if email else "",
        ):
            return TemplateResponse(request, "accounts/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)
