"""The second step is not optional, and staff sessions are short.

Placed after ``django_otp.middleware.OTPMiddleware`` (so ``request.user.is_verified()``
works). For every account that needs a second factor (``accounts.policy``):

- the session ends after ``policy.STAFF_IDLE_SECONDS`` without a request, renewed by each
  request (residents' sessions are left as they are);
- until the second factor is given, every admin URL but the open ones (login, logout,
  password reset) redirects to the second step, or to setting one up if there is none.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import policy, selectors
from accounts.signals import SIGNED_IN_NOW


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in: the session is left untouched (so
        # public answers get no "Vary: Cookie" from here).
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if signed_in:
            user = request.user
            if (
                policy.needs_second_factor(user)
                and not user.is_verified()
                and policy.needs_verification(request.path_info)
            ):
                return _to_second_step(request)
        response = self.get_response(request)
        # After the view, which may have signed someone in (accounts.signals).
        if (signed_in or getattr(request, SIGNED_IN_NOW, False)) and policy.needs_second_factor(
            request.user
        ):
            request.session.set_expiry(policy.STAFF_IDLE_SECONDS)
        return response


def _to_second_step(request: HttpRequest) -> HttpResponseRedirect:
    name = "accounts:verify" if selectors.has_second_factor(request.user) else "accounts:setup"
    back = request.get_full_path() if request.method == "GET" else request.path
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': back})}")
