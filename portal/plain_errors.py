"""Every 4xx answer says what went wrong in words.

Django's ``require_GET``, ``require_POST`` and ``require_http_methods`` answer a wrong
method with a 405 and no body at all; so may any other view's bare 4xx. This middleware
gives such a response one plain sentence (and leaves responses that have a body alone).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

WORDS = {
    400: "The request could not be understood. Check what was sent and try again.",
    403: "You do not have permission to do that.",
    404: "There is nothing at this address.",
    405: "This address does not accept {method} requests.",
    413: "What was sent is too large.",
    429: "Too many requests. Wait a while, then try again.",
}


def plain_words(request: HttpRequest, response: HttpResponse) -> str:
    words = WORDS.get(response.status_code, "The request could not be handled.")
    words = words.format(method=request.method[:20])
    if response.status_code == 405 and response.get("Allow"):
        words += f" Use {response['Allow'].replace(', ', ' or ')}."
    return words + "\n"


class PlainErrorBodyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not response.streaming and not response.content:
            response.content = plain_words(request, response).encode()
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response
