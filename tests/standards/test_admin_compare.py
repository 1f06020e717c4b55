"""The ASB lead's revision compare view reads as words: commitments as the sentence a
resident reads, choices by their labels, ASB categories by name, dates in words; never a
Python list, dict, None or True (request tests of Wagtail's compare view)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import User

from standards import admin_compare, services
from standards.models import Priority
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db

PYTHON_LOOKS = ("[{", "{'", "['", "None", "True", "False", "working_days", "first_contact")


@pytest.fixture
def hackney_lead(client, hackney):
    team = services.setup_borough_editorial(borough_page=hackney)
    lead = User.objects.create_user("hackney-asb-lead", password="x")  # noqa: S106
    lead.groups.add(team.asb_leads)
    login_verified(client, lead)
    return lead


def compare_text(client, page, first, second) -> str:
    response = client.get(f"/admin/pages/{page.pk}/revisions/compare/{first.pk}...{second.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index("<main")
    main = re.sub(r"<(script|style)\b.*?</\1>", "", body[start : body.index("</main>")], flags=re.S)
    main = re.sub(r"\s(data-[\w-]+|class|id|aria-[\w-]+|href|type|name)=\"[^\"]*\"", "", main)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_a_changed_commitment_reads_as_sentences(client, hackney, hackney_lead):
    first = hackney.get_latest_revision()
    draft = hackney.get_latest_revision_as_object()
    index = next(i for i, b in enumerate(draft.standards) if b.value["metric"] == "first_contact")
    old_value = draft.standards[index].value["target_value"]
    draft.standards[index].value["target_value"] = 12
    draft.standards[index].value["detail"] = "An officer phones you."
    second = draft.save_revision()

    text = compare_text(client, hackney, first, second)
    assert "We will contact you to talk about what happened within 12 hours." in text
    assert f"We will contact you to talk about what happened within {old_value} hours." in text
    assert "First contact with the person who reported" in text  # what is measured
    assert "An officer phones you." in text
    assert "We will acknowledge a report made online or by email within 1 working day." in text
    for looks in PYTHON_LOOKS:
        assert looks not in text, looks


def test_a_changed_priority_reads_as_words(client, hackney, hackney_central, hackney_lead):
    first = hackney_central.get_latest_revision()
    draft = hackney_central.get_latest_revision_as_object()
    draft.priorities.add(
        Priority(
            issue="<p>Drug dealing by the station</p>",
            issue_date=dt.date(2026, 11, 2),
            status=Priority.Status.IN_PROGRESS,
            categories=["littering-drugs", "rowdy-inconsiderate"],
        )
    )
    second = draft.save_revision()
    text = compare_text(client, hackney_central, first, second)
    assert "Drug dealing by the station" in text
    assert "2 November 2026" in text
    assert "In progress" in text
    assert "Littering or drug paraphernalia, Rowdy or inconsiderate behaviour" in text
    for looks in PYTHON_LOOKS:
        assert looks not in text, looks


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "Not given"),
        ("", "Not given"),
        ([], "Not given"),
        (True, "Yes"),
        (False, "No"),
        (dt.date(2026, 1, 5), "5 January 2026"),
        (dt.time(9, 30), "09:30"),
        ([1, "a"], "1, a"),
    ],
)
def test_display_value(value, words):
    assert admin_compare.display_value(value) == words


def test_commitment_sentence_without_a_target():
    value = {"text": "We will treat what you tell us in confidence", "metric": ""}
    assert admin_compare.commitment_sentence(value) == (
        "We will treat what you tell us in confidence."
    )
    assert admin_compare.commitment_measure(value) == "No time target"
