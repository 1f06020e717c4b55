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

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import policy, selectors


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            policy.needs_second_factor(user)
            and not user.is_verified()
            and policy.needs_verification(request.path_info)
        ):
            return _to_second_step(request)
        response = self.get_response(request)
        # After the view: the login view may have signed someone in on this request.
        if policy.needs_second_factor(request.user):
            request.session.set_expiry(policy.STAFF_IDLE_SECONDS)
        return response


def _to_second_step(request: HttpRequest) -> HttpResponseRedirect:
    name = "accounts:verify" if selectors.has_second_factor(request.user) else "accounts:setup"
    back = request.get_full_path() if request.method == "GET" else request.path
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': back})}")
