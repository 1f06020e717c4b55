"""Site search: results with the kind of page and a snippet cut at a word, and advice
found for the words residents use. Runs on the database search backend of SQLite and of
PostgreSQL (bin/test runs the suite on both)."""

from __future__ import annotations

import re

import pytest

from portal.search import SNIPPET_CHARS, page_kind, snippet
from standards import demo_content, factories
from standards.text import ELLIPSIS
from tests.portal.public_site import build_public_site, publish

pytestmark = pytest.mark.django_db

RESULT = re.compile(
    r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" '
    r'href="(?P<url>[^"]+)">(?P<title>[^<]+)</a></h3>\s*'
    r'(?:<p class="govuk-body-s portal-search-result__kind[^"]*">'
    r'<span class="govuk-visually-hidden">Type of page: </span>(?P<kind>[^<]+)</p>\s*)?'
    r'(?:<p class="govuk-body govuk-!-margin-bottom-0">(?P<snippet>[^<]*)</p>)?'
)


@pytest.fixture
def site(home_page):
    return build_public_site(home_page)


def results(client, query: str) -> list[dict]:
    response = client.get("/search/", {"query": query})
    assert response.status_code == 200
    return [match.groupdict() for match in RESULT.finditer(response.content.decode())]


@pytest.mark.parametrize("word", ["noise", "drugs", "neighbour", "graffiti"])
def test_everyday_words_find_an_advice_page(client, site, word):
    found = results(client, word)
    advice_urls = {page.url for page in site["advice"]}
    assert any(result["url"] in advice_urls for result in found), found


def test_each_result_shows_its_kind_and_a_snippet(client, site):
    found = {result["url"]: result for result in results(client, "Hackney")}
    team = found[site["central"].url]
    assert team["kind"] == "Neighbourhood team"
    assert team["snippet"].startswith("Mare Street, the Narrow Way")
    assert found[site["hackney"].url]["kind"] == "Minimum standards"
    advice = {result["kind"] for result in results(client, "graffiti")}
    assert "Advice" in advice


def test_long_snippets_are_cut_at_a_word(client, site):
    page = site["central"]
    page.intro = (
        "Mare Street, the Narrow Way, Hackney Central station and the streets around the "
        "Town Hall, London Fields, Hackney Downs, the Pembury estate, Dalston Junction and "
        "everything from Kingsland Road to Victoria Park, patrolled every day and evening."
    )
    publish(page)
    text = snippet(page)
    assert len(text) <= SNIPPET_CHARS and text.endswith(ELLIPSIS)
    assert page.intro.startswith(text.removesuffix(ELLIPSIS))
    assert page.intro[len(text) - 1] in " ,"
    [shown] = [r for r in results(client, "Pembury") if r["url"] == page.url]
    assert shown["snippet"] == text


def test_the_search_description_comes_first(site):
    page = site["advice"][0]
    page.search_description = "What counts as anti-social behaviour."
    assert snippet(page) == "What counts as anti-social behaviour."
    assert page_kind(page) == "Advice"
    assert page_kind(site["information"]["privacy"]) == "About this site"


def test_information_pages_are_found(client, site):
    urls = {result["url"] for result in results(client, "cookies")}
    assert site["information"]["cookies"].url in urls


@pytest.mark.parametrize("query", ['"noise', "noise)", "#drugs", "\x00", "a" * 500, "*"])
def test_odd_queries_never_fail(client, site, query):
    response = client.get("/search/", {"query": query, "page": "x"})
    assert response.status_code == 200


def test_demo_advice_pages_have_keywords():
    for spec in demo_content.ADVICE_PAGES:
        assert spec["keywords"], spec["slug"]
        assert len(spec["keywords"]) <= 255
    assert factories.AdvicePageFactory._meta.model._meta.get_field("keywords").max_length == 255
