"""Browser harness: Playwright driving Debian's Chromium, offline, with axe-core.

Every request the page makes to anything but the live server is answered locally:
map tiles get a blank image, anything else is refused. So a test never reaches the
network and never waits on it.

The portal's Content-Security-Policy is enforced as in production, and any violation on
any page a test opens (a ``securitypolicyviolation`` event, or Chromium's console message
about one) fails that test.
"""

import base64
import json
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CSP_VIOLATIONS = pytest.StashKey[list]()
# Runs before the page's own scripts in every document (Playwright's init scripts are not
# subject to the page's policy) and reports each violation to the test.
CSP_LISTENER_JS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__portalCspViolation({
    page: location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _csp_violations(request):
    """Collects the CSP violations of every page the test's browser page opens."""
    if "page" not in request.fixturenames:
        return
    page = request.getfixturevalue("page")
    violations: list = []
    page.expose_binding("__portalCspViolation", lambda _source, v: violations.append(v))
    page.add_init_script(CSP_LISTENER_JS)

    def console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append({"page": page.url, "console": message.text})

    page.on("console", console)
    request.node.stash[CSP_VIOLATIONS] = (page, violations)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test that passed: fail it if any page it opened violated the policy."""
    result = yield
    page, violations = item.stash.get(CSP_VIOLATIONS, (None, []))
    if page is not None and not page.is_closed():
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + json.dumps(violations, indent=2))
    return result


@pytest.fixture
def site_page(page, live_server):
    """A Playwright page that may only talk to the live server (tiles stubbed)."""

    def route(route):
        url = route.request.url
        if url.startswith(live_server.url):
            return route.continue_()
        if route.request.resource_type == "image":
            return route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        return route.abort()

    page.route("**/*", route)
    page.set_default_timeout(10_000)
    return page


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.0/2.1/2.2 A and AA rules)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # not a <script>: the policy allows none
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_accessible(page, *, name: str) -> None:
    """No serious or critical axe violations; saves a full-page screenshot to var/screenshots."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not violations, json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in violations
        ],
        indent=2,
    )
