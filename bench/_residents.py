"""Simulated residents for benchmarks: each walks the whole report flow over real HTTP.

A resident is a ``requests.Session`` (its cookies, the CSRF cookie and token) that GETs
and POSTs every step of the flow, "check your answers", "send" and the confirmation page,
as a browser would. Used by ``bench/reporting_bench.py`` (the flow on waitress) and
``bench/production_bench.py`` (the flow on the production topology, behind a stand-in
for the reverse proxy).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

# Interior points of a few boroughs (lat, lon): residents pin near these.
PLACES = [
    (51.5450, -0.0553),  # Hackney
    (51.4613, -0.1156),  # Lambeth
    (51.5155, -0.0922),  # City of London
    (51.5560, -0.2796),  # Brent
    (51.4150, -0.0750),  # Croydon / Bromley side
    (51.5390, 0.0810),  # Newham / Barking
]
REFERENCE_RE = re.compile(r"ASB-[0-9A-Z]{4}-[0-9A-Z]{4}")
TIMEOUT = 60


def answers(rng: random.Random) -> list[tuple[str, dict]]:
    """One resident's answers, step by step: (step slug, the form's fields)."""
    lat, lon = rng.choice(PLACES)
    lat += rng.uniform(-0.003, 0.003)
    lon += rng.uniform(-0.003, 0.003)
    anonymous = rng.random() < 0.3
    contact = (
        {"contact_me": "no"}
        if anonymous
        else {
            "contact_me": "yes",
            "name": "Bench Resident",
            "email": f"resident{rng.randrange(10_000)}@example.com",
            "preferred_method": "email",
            "safe_to_contact": "yes",
        }
    )
    return [
        ("safety", {"danger": "no"}),
        ("category", {"category": rng.choice(["noise", "rowdy-neighbours", "littering-drugs"])}),
        ("qualifier", {"qualifier": rng.choice(["personal", "nuisance", "environmental"])}),
        (
            "where",
            {
                "action": "continue",
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "location_source": "map",
            },
        ),
        ("when", {"when": "ongoing"}),
        (
            "history",
            {"how_often": rng.choice(["first", "few", "weekly", "daily"]), "reported_before": "no"},
        ),
        (
            "details",
            {"description": "Loud music and shouting late at night, most nights this week."},
        ),
        ("photos", {"action": "continue"}),
        ("impact", {"effects": [rng.choice(["sleep", "work", "none"])], "unsafe_at_home": "no"}),
        (
            "vulnerability",
            {
                "targeted": ["no"],
                "health_worsened": rng.choice(["yes", "no"]),
                "vulnerable_people": "no",
            },
        ),
        ("contact", contact),
        ("equality", {}),
    ]


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` of 1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass
class Results:
    """What every resident saw, gathered across threads."""

    flow_seconds: list[float] = field(default_factory=list)
    submit_seconds: list[float] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # Every request of every complete or partial flow: (what, seconds), e.g. ("POST where", 0.02).
    requests: list[tuple[str, float]] = field(default_factory=list)
    without_csp: int = 0  # responses with no Content-Security-Policy header
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request_seconds(self) -> list[float]:
        return [seconds for _, seconds in self.requests]

    def by_step(self) -> dict[str, list[float]]:
        steps: dict[str, list[float]] = defaultdict(list)
        for what, seconds in self.requests:
            steps[what].append(seconds)
        return steps


class _Walk:
    """One resident's requests during one report, each timed and checked; ``pause``
    seconds (on average) of reading and typing before each request but the first."""

    def __init__(
        self, base: str, session: requests.Session, origin: str, pause: float, rng: random.Random
    ) -> None:
        self.base, self.session, self.origin = base, session, origin
        self.pause, self.rng = pause, rng
        self.timings: list[tuple[str, float]] = []
        self.without_csp = 0
        self.paused = 0.0

    def _timed(self, what: str, call: Callable[[], requests.Response]) -> requests.Response:
        if self.pause and self.timings:
            pause = self.pause * self.rng.uniform(0.5, 1.5)
            time.sleep(pause)
            self.paused += pause
        started = time.perf_counter()
        response = call()
        self.timings.append((what, time.perf_counter() - started))
        if "Content-Security-Policy" not in response.headers:
            self.without_csp += 1
        return response

    def get(self, what: str, path: str) -> requests.Response:
        response = self._timed(
            what, lambda: self.session.get(self.base + path, allow_redirects=False, timeout=TIMEOUT)
        )
        if response.status_code != 200:
            raise RuntimeError(f"{what}: HTTP {response.status_code}")
        return response

    def post(self, what: str, path: str, data: dict) -> requests.Response:
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        headers = {"Origin": self.origin} if self.origin else {}
        response = self._timed(
            what,
            lambda: self.session.post(
                self.base + path, data=data, headers=headers, allow_redirects=False, timeout=TIMEOUT
            ),
        )
        if response.status_code != 302:
            raise RuntimeError(f"{what}: HTTP {response.status_code}")
        return response


def file_report(
    base: str,
    session: requests.Session,
    rng: random.Random,
    results: Results,
    *,
    origin: str = "",
    pause: float = 0.0,
) -> None:
    """One complete report: start page, every step (GET, then POST with the CSRF token),
    check your answers, send, confirmation. ``origin`` is sent as the POSTs' Origin header
    (a browser's; needed where Django sees HTTPS, whose CSRF check wants Origin or Referer).
    The flow's time recorded leaves out the pauses.
    """
    walk = _Walk(base, session, origin, pause, random.Random(rng.random()) if pause else rng)
    started = time.perf_counter()
    try:
        walk.get("GET start", "/report/")
        for slug, data in answers(rng):
            walk.get(f"GET {slug}", f"/report/step/{slug}/")
            walk.post(f"POST {slug}", f"/report/step/{slug}/", data)
        walk.get("GET check", "/report/check/")
        submit_started = time.perf_counter()
        response = walk.post("POST send", "/report/check/", {"website": ""})
        submit_took = time.perf_counter() - submit_started
        confirmation = walk.get("GET confirmation", response.headers["Location"])
        match = REFERENCE_RE.search(confirmation.text)
        if not match:
            raise RuntimeError("no reference on the confirmation page")
    finally:
        with results.lock:
            results.requests.extend(walk.timings)
            results.without_csp += walk.without_csp
    with results.lock:
        results.flow_seconds.append(time.perf_counter() - started - walk.paused)
        results.submit_seconds.append(submit_took)
        results.references.append(match.group(0))


def resident(
    base: str,
    number: int,
    reports: int,
    results: Results,
    *,
    session: requests.Session | None = None,
    origin: str = "",
    pause: float = 0.0,
    delay: float = 0.0,
) -> None:
    """Resident ``number`` files ``reports`` reports one after another (failures recorded),
    starting after ``delay`` seconds."""
    rng = random.Random(number)
    session = session or requests.Session()
    time.sleep(delay)
    for _ in range(reports):
        try:
            file_report(base, session, rng, results, origin=origin, pause=pause)
        except (requests.RequestException, RuntimeError, KeyError) as error:
            with results.lock:
                results.failures.append(f"resident {number}: {error!r}")


def run_residents(
    base: str,
    count: int,
    reports: int,
    results: Results,
    *,
    session_for: Callable[[int], requests.Session] = lambda _: requests.Session(),
    origin: str = "",
    pause: float = 0.0,
    stagger: float = 0.0,
) -> float:
    """``count`` residents, each filing ``reports``, all at once or (``stagger``) starting
    one after another over that many seconds; returns the wall time."""
    threads = [
        threading.Thread(
            target=resident,
            args=(base, n, reports, results),
            kwargs={
                "session": session_for(n),
                "origin": origin,
                "pause": pause,
                "delay": stagger * n / count,
            },
        )
        for n in range(count)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


class ProxiedSession(requests.Session):
    """A resident's browser as the TLS-terminating reverse proxy forwards it.

    The browser keeps the portal's ``Secure`` cookies for the https:// site and the proxy
    passes them on over loopback HTTP; a cookie jar would keep them back on that hop, so
    they are marked sendable once received (requests copies the jar for every request,
    so a cookie policy would not survive).
    """

    def send(self, request, **kwargs) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def proxied_session(headers: dict[str, str]) -> requests.Session:
    """A resident's session with ``headers`` on every request (e.g. X-Forwarded-Proto)."""
    session = ProxiedSession()
    session.headers.update(headers)
    return session
