import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_report_call_to_action_and_emergency_numbers(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Report anti-social behaviour" in html
    assert "Call 999" in html
    assert "call 101" in html
    assert 'action="/find-your-area/"' in html


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert body["outbox"] == {
        "queued": 0,
        "in_flight": 0,
        "dead": 0,
        "oldest_waiting_seconds": None,
        "overdue_to_boroughs": 0,
        "overdue_boroughs": [],
    }


def test_navigation_links_follow_published_pages(client, home_page):
    from standards.factories import BoroughIndexPageFactory

    assert 'href="/boroughs/"' not in client.get("/").content.decode()
    index = BoroughIndexPageFactory(parent=home_page, live=False)
    index.save_revision().publish()
    assert 'href="/boroughs/"' in client.get("/").content.decode()
