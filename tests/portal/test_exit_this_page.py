"""Exit this page: on every report step, advice page and the tracking page; /exit/
forgets the session and leaves for the neutral site."""

import pytest

from tests.reporting.conftest import fill_flow

pytestmark = pytest.mark.django_db

BUTTON = 'class="govuk-exit-this-page"'


def test_exit_forgets_the_session_and_leaves(client, settings):
    settings.EXIT_THIS_PAGE_URL = "https://neutral.invalid/weather"
    fill_flow(client)
    assert "reporting_flow" in client.session
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://neutral.invalid/weather"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert response["Referrer-Policy"] == "no-referrer"
    assert "reporting_flow" not in client.session


def test_every_report_step_and_the_tracking_page_has_it(client):
    from reporting.models import Report
    from reporting.wizard import STEPS

    fill_flow(client)
    for step in STEPS:
        body = client.get(f"/report/step/{step.slug}/").content.decode()
        assert BUTTON in body and 'href="/exit/"' in body, step.slug
    for path in ("/report/", "/report/check/", "/report/find/", "/report/call-999/"):
        assert BUTTON in client.get(path).content.decode(), path
    client.post("/report/check/", {"website": ""})
    body = client.get("/report/sent/").content.decode()
    start = body.index("/report/track/")
    link = body[start : body.index("/", start + len("/report/track/")) + 1]
    assert Report.objects.count() == 1
    assert BUTTON in client.get(link).content.decode()


def test_advice_pages_have_it(client, home_page):
    from standards.factories import AdviceIndexPageFactory, AdvicePageFactory

    index = AdviceIndexPageFactory(parent=home_page)
    advice = AdvicePageFactory(parent=index)
    for page in (index, advice):
        assert BUTTON in client.get(page.url).content.decode(), page.url


def test_pages_without_it(client, home_page):
    assert BUTTON not in client.get("/").content.decode()
