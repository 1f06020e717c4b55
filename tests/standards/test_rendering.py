import re

import pytest
from django.utils import timezone

from standards import factories
from standards.models import AdvicePage
from tests.standards.conftest import publish

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_borough_page_shows_standards_contacts_and_teams(client, hackney, hackney_central):
    response = client.get(hackney.url)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Report ASB in Hackney" in text
    commitment = hackney.commitment_for("first_contact")
    assert f"{commitment.text} {commitment.target_text}" in text
    assert "We will tell you before we close your case, and why" in text
    assert "How to report" in text and "18001 101" in text
    assert "Stoke Newington police station" in text
    assert hackney.asb_lead_role in text
    assert "Hackney Council ASB team" in text
    assert f'href="{hackney_central.url}"' in html
    assert "last reviewed on" in text
    # The borough's private inbox is never shown to the public.
    assert hackney.asb_inbox_email not in html


def test_neighbourhood_page_shows_priorities_team_contact_meetings(client, hackney_central):
    response = client.get(hackney_central.url)
    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    assert "Safer Neighbourhoods team, Hackney" in text
    current = text.index("Our current priorities")
    past = text.index("Past priorities")
    assert current < text.index("Street drinking and begging on the Narrow Way") < past
    assert text.count("Street drinking and begging on the Narrow Way") == 1  # listed once
    assert past < text.index("Late-night noise and fighting outside bars")
    assert "We have not reported any action yet." in text  # the open moped priority
    assert "In progress" in text and "Resolved" in text
    assert "Street drinking, Begging or vagrancy" in text
    assert hackney_central.team_email in text
    assert "Dedicated ward officer" in text and "Police community support officer" in text
    assert "Ward panel meeting" in text
    assert "E05009372" in text
    assert 'href="/neighbourhoods/E05009372/priorities.json"' in html


def test_past_meetings_are_not_listed(client, hackney_central):
    meeting = hackney_central.meetings.first()
    meeting.starts_at = timezone.now() - timezone.timedelta(days=3)
    meeting.place = "Last month's hall"
    meeting.save()
    assert "Last month's hall" not in client.get(hackney_central.url).content.decode()


def test_london_standards_and_advice_pages(client, home_page):
    london = publish(factories.LondonStandardsPageFactory(parent=home_page))
    advice_index = publish(factories.AdviceIndexPageFactory(parent=home_page))
    from standards.demo_content import ADVICE_PAGES

    pages = [publish(factories.AdvicePageFactory(parent=advice_index, **s)) for s in ADVICE_PAGES]

    text = text_of(client.get(london.url))
    assert "London-wide ASB minimum standards" in text
    assert "We will contact you about your report within 48 hours" in text
    assert "Every borough has a named senior lead" in text

    response = client.get(advice_index.url)
    assert response.status_code == 200
    for page in pages:
        assert page.title in text_of(response)

    what_is = text_of(client.get(pages[0].url))
    assert "Vehicle abandoned (not stolen)" in what_is and "Fireworks" in what_is
    assert "Environmental" in what_is and "Nuisance" in what_is
    assert "Hoax calls" in what_is
    review = client.get(AdvicePage.objects.get(slug="asb-case-review").url)
    assert "three reports about the same problem in six months" in text_of(review)


def test_borough_index_lists_boroughs(client, borough_index, hackney, lambeth):
    publish(borough_index)
    response = client.get(borough_index.url)
    assert response.status_code == 200
    text = text_of(response)
    assert text.index("Hackney") < text.index("Lambeth")


def test_pages_preview_with_unsaved_priorities(hackney_central, rf, admin_user):
    page = hackney_central
    page.title = "Hackney Central (draft)"
    page.priorities.add(
        factories.PriorityFactory.build(issue="<p>Unpublished worry about the canal path</p>")
    )
    request = rf.get("/")
    request.user = admin_user
    response = page.make_preview_request(request, page.default_preview_mode)
    assert response.status_code == 200
    assert "Unpublished worry about the canal path" in response.content.decode()


def test_borough_page_preview(hackney, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    response = hackney.make_preview_request(request, hackney.default_preview_mode)
    assert response.status_code == 200
    assert "Report ASB in Hackney" in response.content.decode()
