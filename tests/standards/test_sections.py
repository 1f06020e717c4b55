"""Other apps add sections to standards pages through a registry standards owns."""

from __future__ import annotations

import pytest

from standards import sections


@pytest.fixture
def registry():
    saved = {kind: dict(found) for kind, found in sections._sections.items()}
    yield sections
    sections._sections.clear()
    sections._sections.update(saved)


def test_the_map_adds_its_section_to_both_kinds_of_page():
    for kind in sections.KINDS:
        assert [s.name for s in sections.registered(kind)] == ["crime-and-asb"]


def test_sections_render_in_order_and_a_broken_one_is_left_out(registry, caplog):
    def broken(page, request):
        raise RuntimeError("no data")

    registry.register(sections.BOROUGH, "first", lambda page, request: f"<p>{page}</p>")
    registry.register(sections.BOROUGH, "broken", broken)
    registry.register(sections.BOROUGH, "last", lambda page, request: "<p>last</p>")
    sections._sections[sections.BOROUGH].pop("crime-and-asb")
    html = sections.render(sections.BOROUGH, "Hackney", None)
    assert html == "<p>Hackney</p>\n<p>last</p>"
    assert "The broken section of Hackney failed" in caplog.text


def test_a_section_is_replaced_by_name_and_kinds_are_checked(registry):
    registry.register(sections.NEIGHBOURHOOD, "crime-and-asb", lambda page, request: "new")
    assert sections.render(sections.NEIGHBOURHOOD, None, None) == "new"
    with pytest.raises(ValueError, match="Unknown kind"):
        registry.register("ward", "x", lambda page, request: "")


def test_borough_and_neighbourhood_pages_show_the_maps_section(client, hackney_central):
    html = client.get(hackney_central.url).content.decode()
    assert "Crime and anti-social behaviour in Hackney Central" in html
    html = client.get(hackney_central.get_parent().url).content.decode()
    assert "Crime and anti-social behaviour in Hackney" in html
