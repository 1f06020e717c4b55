# TEMPORARY exploration (not collected: name does not match test_*.py); deleted after use.
import json
import pytest
from tests.browser.conftest import CSP_VIOLATIONS
from tests.browser.test_standards_pages import tree, wagtail_base  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_explore(site_page, live_server, tree, django_user_model, request):
    page = site_page
    django_user_model.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    _, violations = request.node.stash[CSP_VIOLATIONS]
    central = tree["central"]
    urls = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{central.pk}/edit/",
        f"/admin/pages/{tree['hackney'].pk}/edit/",
        f"/admin/pages/{tree['advice'].pk}/edit/",
        f"/admin/pages/{central.get_parent().pk}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/workflows/list/",
        "/admin/reports/",
        "/admin/asb-reports/",
        "/admin/outbox/",
        "/admin/redirects/",
        "/admin/account/",
        central.url,
    ]
    results = {}
    for url in urls:
        before = len(violations)
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        results[url] = violations[before:]
    # open the image chooser from the page editor
    page.goto(live_server.url + f"/admin/pages/{central.pk}/edit/")
    page.wait_for_load_state("networkidle")
    before = len(violations)
    try:
        print("BUTTONS", page.get_by_role("button").all_inner_texts()[:80])
        page.locator("button", has_text="Add team member").first.click()
        page.wait_for_timeout(500)
    except Exception as e:
        results["add-inline-error"] = str(e)
    results["add inline"] = violations[before:]
    before = len(violations)
    try:
        page.locator("button", has_text="Choose").first.click()
        page.wait_for_timeout(1500)
    except Exception as e:
        results["chooser-error"] = str(e)
    results["image chooser"] = violations[before:]
    before = len(violations)
    try:
        page.locator("button[aria-label*=review], button:has-text('Preview')").first.click()
        page.wait_for_timeout(2000)
    except Exception as e:
        results["preview-error"] = str(e)
    results["preview"] = violations[before:]
    summary = {}
    for k, v in results.items():
        if isinstance(v, str):
            summary[k] = v[:80]
            continue
        summary[k] = sorted({(x.get("directive"), (x.get("blocked") or "")[:60]) for x in v if "directive" in x})
    print("EXPLORE", json.dumps(summary, indent=1))
    violations.clear()
