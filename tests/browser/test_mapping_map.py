import re

import pytest
from playwright.sync_api import expect

from mapping.demo import import_paths
from tests.browser.conftest import assert_accessible
from tests.mapping.conftest import CITY, MET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_page_is_accessible_and_keyboard_operable(site_page, live_server, home_page):
    import_paths([CITY, MET])
    site_page.goto(live_server.url + "/map/?month_from=2025-02&month_to=2025-05")
    assert (
        site_page.get_by_role("heading", level=1).inner_text()
        == "Crime and anti-social behaviour in London"
    )
    status = site_page.locator("[data-mapping-status]")
    status.filter(has_text="Showing").wait_for()
    markers = site_page.locator(".leaflet-marker-icon[role=button]")
    assert markers.count() > 0
    assert "incident" in markers.first.get_attribute("aria-label")
    # The tables carry the same numbers for anyone not using the map.
    assert site_page.get_by_role("table", name="By borough").is_visible()
    assert_accessible(site_page, name="mapping-london")

    # Keyboard: focus a circle and press Enter to zoom in.
    zoom_before = site_page.evaluate("window.mappingMaps['london-map'].getZoom()")
    markers.first.focus()
    site_page.keyboard.press("Enter")
    wait_until(
        site_page, "(zoom) => window.mappingMaps['london-map'].getZoom() > zoom", zoom_before
    )


def test_map_page_filters_work_without_javascript(browser, live_server):
    import_paths([CITY])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto(live_server.url + "/map/")
    page.get_by_label("Borough", exact=True).select_option("E09000001")
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"City of London$"))
    expect(page.get_by_role("table", name="By type, in City of London")).to_be_visible()
    # axe needs JavaScript, so this page is checked with it in the test above.
    page.screenshot(path="var/screenshots/mapping-london-no-js.png", full_page=True)
    context.close()


HACKNEY = "E09000012"
PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "has_touch": True}
# The index of the circle nearest the top of the map, away from its controls and side
# edges (a popup opened there must pan the map to fit), or -1.
TOPMOST_MARKER_JS = """(selector) => {
  const frame = document.querySelector("#london-map").getBoundingClientRect();
  let found = -1, top = Infinity;
  document.querySelectorAll(selector).forEach((marker, index) => {
    const box = marker.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x > frame.left + 60 && x < frame.right - 30 && y > frame.top + 30
        && y < frame.bottom - 40 && y < top) {
      found = index;
      top = y;
    }
  });
  return found;
}"""
TABLES_JS = """() => ({
  regions: [...document.querySelectorAll(".mapping-table-scroll")].map((box) => ({
    label: box.getAttribute("aria-label"),
    tabindex: box.getAttribute("tabindex"),
    overflows: box.scrollWidth > box.clientWidth + 1,
  })),
  broken_numbers: [
    ...document.querySelectorAll(".mapping-table-scroll td.govuk-table__cell--numeric"),
  ].filter((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return range.getClientRects().length > 1;
    })
    .map((cell) => cell.textContent),
})"""
# Circles that can be tapped now (those cut by the map's edge or under its controls are
# inert until moved clear).
CELLS = "#london-map .leaflet-marker-icon[role=button][aria-label*='zoom in']"
POINTS = "#london-map .leaflet-marker-icon[role=button][aria-label*='for details']"
MAP = "window.mappingMaps['london-map']"


def number(text: str) -> int:
    return int(text.replace(",", ""))


def wait_until(page, predicate: str, arg=None, *, seconds: float = 5) -> None:
    """Poll a JavaScript function until it returns true (page.wait_for_function would
    evaluate a string, which the page's Content-Security-Policy forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(predicate, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {predicate}")


def wait_idle(page) -> None:
    """The map has drawn its newest data (map.js marks it aria-busy while loading)."""
    page.locator("#london-map:not([aria-busy])").wait_for(state="attached")


def tap_topmost(page, selector: str) -> None:
    page.locator(selector).first.wait_for()
    wait_idle(page)
    index = page.evaluate(TOPMOST_MARKER_JS, selector)
    assert index >= 0, "no circle inside the map"
    page.locator(selector).nth(index).tap()


def map_centre(page) -> list[float]:
    return page.evaluate(f"(() => {{ const c = {MAP}.getCenter(); return [c.lat, c.lng]; }})()")


@pytest.mark.parametrize(
    "width",
    [
        pytest.param(375, marks=pytest.mark.browser_context_args(**PHONE)),
        pytest.param(1280, marks=pytest.mark.browser_context_args(**DESKTOP)),
    ],
)
def test_the_map_counts_the_borough_and_its_popups_stay_open_on_touch(
    site_page, live_server, home_page, width
):
    import_paths([CITY, MET])
    page = site_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/map/?month_from=2025-02&month_to=2025-05")
    page.get_by_label("Borough", exact=True).select_option(HACKNEY)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"in Hackney$"))

    # The map says the number the tables say.
    status = page.locator("[data-mapping-status]")
    expect(status).to_contain_text("Showing")
    match = re.match(
        r"Showing ([\d,]+) incidents in Hackney, February 2025 to May 2025\.",
        status.inner_text(),
    )
    assert match, status.inner_text()
    by_type = page.get_by_role("table", name="By type, in Hackney")
    cells = by_type.locator("td.govuk-table__cell--numeric").all_inner_texts()
    table_total = sum(number(cell) for cell in cells)
    heading = page.get_by_role("heading", name=re.compile(r"incidents, February 2025"))
    assert number(match.group(1)) == table_total == number(heading.inner_text().split()[0]) > 0
    # It starts on Hackney: all of the borough is in view, and not much more.
    bounds = page.evaluate(
        f"(() => {{ const b = {MAP}.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    west, south, east, north = bounds
    assert west <= -0.105 and east >= -0.004 and south <= 51.519 and north >= 51.577
    assert east - west < 0.5 and north - south < 0.3

    # Circles and controls are at least 44 px to tap (WCAG 2.5.8 asks 24).
    # (Measured in one go in the page: a data reload may redraw the circles meanwhile.)
    wait_idle(page)
    sizes = page.evaluate(
        "(selector) => [...document.querySelectorAll(selector)].map((circle) => {"
        " const box = circle.getBoundingClientRect(); return [box.width, box.height]; })",
        CELLS,
    )
    assert sizes and all(width >= 44 and height >= 44 for width, height in sizes), sizes
    zoom_in = page.locator("#london-map .leaflet-control-zoom-in").bounding_box()
    assert zoom_in["width"] >= 44 and zoom_in["height"] >= 44
    # The attribution credits the tiles and police.uk's open data, and its links look like
    # links: underlined, in a colour with at least 4.5:1 contrast on its background.
    attribution = page.locator("#london-map .leaflet-control-attribution")
    expect(attribution).to_contain_text("test tiles")
    expect(attribution).to_contain_text("Crime data: police.uk, Open Government Licence v3.0")
    for link in attribution.get_by_role("link").all():
        style = link.evaluate(
            "(a) => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color,"
            " getComputedStyle(a.closest('.leaflet-control-attribution')).backgroundColor]"
        )
        assert "underline" in style[0]
        assert style[1:] == ["rgb(29, 112, 184)", "rgb(255, 255, 255)"]  # 5.2:1
    # The tables fit the screen (or scroll in their own labelled, focusable region) and
    # no number is broken over two lines.
    tables = page.evaluate(TABLES_JS)
    assert len(tables["regions"]) == 3  # by type, each month, hot streets
    assert all(region["label"] and region["tabindex"] == "0" for region in tables["regions"])
    assert [region for region in tables["regions"] if region["overflows"]] == []
    assert tables["broken_numbers"] == []
    assert_accessible(page, name=f"mapping-hackney-{width}")

    # Tap squares until the street locations show.
    for _ in range(8):
        if page.locator(POINTS).count():
            break
        zoom = page.evaluate(f"{MAP}.getZoom()")
        tap_topmost(page, CELLS)
        wait_until(page, f"(zoom) => {MAP}.getZoom() > zoom", zoom)
        page.wait_for_timeout(700)
    expect(status).to_contain_text("of the")  # zoomed in, the map says how many are in view

    # Bring a location near the top of the map, so the popup tapping it opens must pan the
    # map to fit; let any reload that moving it caused finish.
    page.locator(POINTS).first.wait_for()
    index = page.evaluate(TOPMOST_MARKER_JS, POINTS)
    circle = page.locator(POINTS).nth(index).bounding_box()
    frame = page.locator("#london-map").bounding_box()
    offset = [
        circle["x"] + circle["width"] / 2 - (frame["x"] + frame["width"] / 2),
        circle["y"] + circle["height"] / 2 - (frame["y"] + 50),
    ]
    page.evaluate(f"(offset) => {MAP}.panBy(offset, {{animate: false}})", offset)
    page.wait_for_timeout(1000)

    # Tap it: its popup pans the map to fit, reloads nothing, and stays open.
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/map/data/" in r.url else None)
    before = map_centre(page)
    tap_topmost(page, POINTS)
    popup = page.locator("#london-map .leaflet-popup")
    expect(popup).to_be_visible()
    page.wait_for_timeout(1500)  # the pan that opening it made, and any reload, are over
    assert map_centre(page) != before, "the popup did not pan the map"
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("incident")
    assert requests == [], "the popup's pan reloaded the data"
    assert_accessible(page, name=f"mapping-hackney-popup-{width}")
    popup.evaluate("(element) => { element.dataset.seen = 'yes'; }")
    text = popup.inner_text()

    # Moving the map beyond the data loaded reloads it; the popup is not even redrawn.
    direction = page.evaluate(
        """() => {
          const frame = document.querySelector("#london-map").getBoundingClientRect();
          const box = document.querySelector("#london-map .leaflet-popup").getBoundingClientRect();
          return box.left + box.width / 2 < frame.left + frame.width / 2 ? -1 : 1;
        }"""
    )
    page.evaluate(
        f"(direction) => {MAP}.panBy([direction * {MAP}.getSize().x * 0.3, 0], {{animate: false}})",
        direction,
    )
    page.wait_for_timeout(1500)
    assert requests, "the map did not reload after moving beyond its data"
    expect(popup).to_be_visible()
    assert popup.inner_text() == text
    assert popup.evaluate("(element) => element.dataset.seen") == "yes"
    assert errors == []
