import json
import pytest
from tests.browser.conftest import CSP_VIOLATIONS
from tests.browser.test_standards_pages import tree, wagtail_base  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_explore(site_page, live_server, tree, request):
    page = site_page
    _, violations = request.node.stash[CSP_VIOLATIONS]
    response = page.goto(live_server.url + tree["central"].url)
    print("HEADERS", json.dumps(response.all_headers(), indent=1))
    page.evaluate("() => { const s = document.createElement('script'); s.textContent='window.x=1'; document.body.appendChild(s); }")
    page.wait_for_timeout(300)
    print("VIOLATIONS", violations, page.evaluate("() => window.x"))
    violations.clear()
