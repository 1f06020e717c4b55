import datetime as dt
import json
import re
from pathlib import Path

import pytest

from standards import factories
from standards.models import Priority

pytestmark = pytest.mark.django_db

EXAMPLES = Path("/work/shared/data/policeuk/api-examples")
POLICE_UK_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def police_uk_example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def test_feed_has_exactly_the_police_uk_shape(client, hackney_central):
    response = client.get(hackney_central.priorities_feed_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert isinstance(data, list)
    assert len(data) == hackney_central.priorities.count() == 3
    expected_keys = set(police_uk_example("neighbourhood-priority.json"))
    assert expected_keys == {"issue", "issue-date", "action", "action-date"}
    for item in data:
        assert set(item) == expected_keys
        assert POLICE_UK_DATE.match(item["issue-date"])
        assert item["issue"].startswith("<p>")
        if item["action"] is None:
            assert item["action-date"] is None
        else:
            assert POLICE_UK_DATE.match(item["action-date"])


def test_feed_values_and_order(client, hackney_central):
    data = client.get(hackney_central.priorities_feed_url()).json()
    current = hackney_central.current_priorities()
    past = hackney_central.past_priorities()
    assert [item["issue"] for item in data] == [p.issue for p in current + past]
    narrow_way = data[0]
    priority = current[0]
    assert narrow_way["issue-date"] == priority.issue_date.isoformat() + "T00:00:00"
    assert narrow_way["action-date"] == priority.action_date.isoformat() + "T00:00:00"
    no_action = next(item for item in data if "Mopeds" in item["issue"])
    assert no_action["action"] is None and no_action["action-date"] is None


def test_feed_matches_the_police_uk_example_without_action(client, hackney):
    example = police_uk_example("neighbourhood-priority-no-action.json")
    page = factories.NeighbourhoodPageFactory(
        parent=hackney,
        priorities=[
            factories.PriorityFactory.build(
                issue=example["issue"],
                issue_date=dt.date(2016, 4, 14),
            )
        ],
    )
    page.save_revision().publish()
    assert client.get(page.priorities_feed_url()).json() == [example]


def test_feed_is_public_and_cacheable(client, hackney_central, settings):
    response = client.get(hackney_central.priorities_feed_url())
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.PUBLIC_PAGE_CACHE_SECONDS}" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response


def test_feed_serves_the_published_version_only(client, hackney_central):
    draft = hackney_central.get_latest_revision_as_object()
    draft.priorities.add(factories.PriorityFactory.build(issue="<p>Draft only</p>"))
    draft.save_revision()
    data = client.get(hackney_central.priorities_feed_url()).json()
    assert all("Draft only" not in item["issue"] for item in data)


def test_unpublished_neighbourhood_has_no_feed(client, hackney_central):
    url = hackney_central.priorities_feed_url()
    hackney_central.unpublish()
    assert client.get(url).status_code == 404


def test_priority_validation():
    from django.core.exceptions import ValidationError

    priority = factories.PriorityFactory.build(status=Priority.Status.RESOLVED, action="")
    with pytest.raises(ValidationError) as error:
        priority.clean()
    assert "action" in error.value.message_dict
    late = factories.PriorityFactory.build(action="<p>Patrols</p>", action_date=None)
    with pytest.raises(ValidationError):
        late.clean()
    early = factories.PriorityFactory.build(
        action="<p>Patrols</p>",
        action_date=dt.date(2000, 1, 1),
    )
    with pytest.raises(ValidationError):
        early.clean()


def test_feed_html_has_no_editor_attributes():
    priority = factories.PriorityFactory.build(
        issue='<p data-block-key="ab1c2">Drug dealing on the <b>estate</b></p>'
    )
    assert priority.as_police_uk()["issue"] == "<p>Drug dealing on the <b>estate</b></p>"
