"""A database that is busy or unreachable gets a 503 with a plain retry message, never a 500.

An outage is an :class:`~django.db.InterfaceError` (the connection is closed or broken) or
an :class:`~django.db.OperationalError` that says the database could not answer now:
on SQLite "database is locked" (another writer held the lock past the busy timeout) or
the file could not be opened; on PostgreSQL a lost or refused connection, a lock or
statement timeout, a deadlock or serialisation failure, the server shutting down or out
of connections (see ``OUTAGE_SQLSTATES``). Anything else (a missing table, bad SQL) is a
bug and stays a 500.

Two ways in, one answer (:func:`outage_response`):

* :class:`DatabaseOutageMiddleware` (``process_exception``): the view, or the rendering of
  its template, met the outage;
* :func:`server_error` and :func:`bad_request`, the site's ``handler500`` and
  ``handler400``: it met the outage outside a view. Saving the session after the view
  has answered is the usual case, and Django reports that failure as a 400
  (``SessionInterrupted``, raised while handling the database error).

What the resident typed survives: the report flow keeps answers in the session (on the
database), written only by requests that succeed. Django never saves a session on a 5xx
answer, and "Send report" changes the session only after ``submit_report`` has
committed, so a 503 leaves the answers as they were and the retry finds them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = (
    "Sorry, the service is busy. What you had already entered has been kept. "
    "Wait a minute, then try again."
)
# PostgreSQL SQLSTATE classes and codes meaning "not now" rather than "never":
# 08 connection exception, 53 insufficient resources (too many connections, disk full),
# 57 operator intervention (query cancelled by statement_timeout, server shut down or
# starting), 55P03 lock not available (lock_timeout), 40001 serialisation failure,
# 40P01 deadlock.
OUTAGE_SQLSTATE_CLASSES = ("08", "53", "57")
OUTAGE_SQLSTATES = {"55P03", "40001", "40P01"}
SQLITE_OUTAGE_MESSAGES = (
    "database is locked",
    "database table is locked",
    "database schema is locked",
    "unable to open database file",
    "disk i/o error",
)


def is_database_outage(error: BaseException | None) -> bool:
    """Whether ``error``, or the error it was raised from or while handling, says the
    database cannot answer now (so trying again may work)."""
    seen = 0
    while error is not None and seen < 10:
        if _is_outage(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES or sqlstate in OUTAGE_SQLSTATES
    if not isinstance(error, OperationalError):
        return False
    if isinstance(cause, sqlite3.Error):
        message = str(error).lower()
        return any(text in message for text in SQLITE_OUTAGE_MESSAGES)
    # psycopg gives no SQLSTATE when there is no server to give one: the connection
    # failed, or was closed under the query.
    return cause is not None


def _wants_data(request: HttpRequest) -> str:
    path = request.path_info
    if path.endswith(".xml"):
        return "xml"
    if path.endswith(".json") or path.startswith("/api/"):
        return "json"
    return "html"


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: an HTML page for people, JSON or XML for programs."""
    kind = _wants_data(request)
    if kind == "json":
        body = json.dumps({"error": "service_unavailable", "detail": MESSAGE})
        content_type = "application/json"
    elif kind == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>503</code>'
            f"<description>{MESSAGE}</description></error></errors>"
        )
        content_type = "text/xml; charset=utf-8"
    else:
        # No request context: the page must not need the database it could not reach.
        body = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        content_type = "text/html; charset=utf-8"
    response = HttpResponse(body, content_type=content_type, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turns an outage met by a view into the 503 page (other errors pass on)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_outage(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return outage_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page for an outage outside a view, else Django's 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: the 503 page when the "bad request" was an outage, else Django's."""
    if is_database_outage(exception):
        return outage_response(request)
    return defaults.bad_request(request, exception)
