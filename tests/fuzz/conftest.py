"""Fixtures of the fuzz: the reporting tests' borough pages, and a runner that sends cases
and collects every answer that is not a plain 4xx (or a success)."""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the portal's own output
from dataclasses import dataclass, field

import pytest
from django.test import Client

from tests.fuzz.cases import Case
from tests.reporting.conftest import borough_index, hackney, hackney_central  # noqa: F401

# What a stack trace, a debug page or a leaked exception looks like in a body.
TRACE = re.compile(
    r"Traceback \(most recent call last\)|File \"/|Exception Value|Request Method:"
    r"|django\.db\.|psycopg|sqlite3\.|OperationalError|IntegrityError|DataError"
    r"|ProgrammingError|(?:Key|Type|Value|Attribute|Recursion|Unicode\w*)Error"
)


@dataclass
class Fuzz:
    """Sends cases with the test client and keeps what went wrong."""

    sent: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def send(self, client: Client, case: Case):
        ip = f"10.{self.sent % 7}.{self.sent % 11}.{self.sent % 13}"  # rate limits vary
        try:
            response = client.generic(
                case.method,
                case.path,
                case.body,
                content_type=case.content_type,
                headers=case.headers,
                REMOTE_ADDR=ip,
            )
        except Exception as error:  # the client itself choked: report it like a 500
            self.sent += 1
            self.failures.append(f"client error {error!r}: {case.describe()}")
            return None
        self.sent += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        problem = judge(case, response)
        if problem:
            self.failures.append(f"{problem}: {case.describe()}")
        return response

    def run(self, client: Client, cases, *, before=None) -> None:
        for case in cases:
            if before is not None:
                before()
            self.send(client, case)

    def check(self) -> None:
        if self.failures:
            pytest.fail(self.report(), pytrace=False)

    def report(self) -> str:
        shown = "\n".join(self.failures[:60])
        more = len(self.failures) - 60
        return f"{len(self.failures)} of {self.sent} requests failed:\n{shown}" + (
            f"\n... and {more} more" if more > 0 else ""
        )


def judge(case: Case, response) -> str:
    """'' when the answer is fine: below 500, a 4xx in plain words, XML well-formed."""
    status = response.status_code
    body = b"" if getattr(response, "streaming", False) else response.content
    exc = getattr(response, "exc_info", None)
    if status >= 500:
        detail = f" {exc[1]!r}" if exc else ""
        return f"{status}{detail}"
    if case.method.upper() == "HEAD":
        return ""  # no body to judge
    content_type = response.get("Content-Type", "")
    if "xml" in content_type and body:
        try:
            ET.fromstring(body)  # noqa: S314 - the portal's own XML
        except ET.ParseError as error:
            return f"{status} XML not well-formed ({error})"
    if 400 <= status < 500:
        if not body.strip():
            return f"{status} with an empty body"
        text = body.decode("utf-8", "replace")
        if TRACE.search(text):
            return f"{status} body looks like a stack trace: {text[:300]!r}"
        if "json" in content_type:
            try:
                json.loads(body)
            except ValueError:
                return f"{status} JSON error body is not JSON"
    return ""


@pytest.fixture
def fuzz(settings):
    """A runner; Django's per-request warnings are quietened (thousands of 4xx)."""
    settings.REPORTING_SUBMISSIONS_PER_HOUR = 10
    settings.REPORTING_LOOKUPS_PER_HOUR = 20
    request_logger = logging.getLogger("django.request")
    security_logger = logging.getLogger("django.security")
    levels = request_logger.level, security_logger.level
    request_logger.setLevel(logging.ERROR)
    security_logger.setLevel(logging.ERROR)
    yield Fuzz()
    request_logger.setLevel(levels[0])
    security_logger.setLevel(levels[1])


@pytest.fixture
def fuzz_client() -> Client:
    """A client that hands back a 500 instead of raising, so every case is recorded."""
    return Client(raise_request_exception=False)
