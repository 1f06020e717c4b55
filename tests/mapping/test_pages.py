from types import SimpleNamespace

from django.test import RequestFactory
from django.urls import reverse

from mapping import charts
from mapping.models import Dataset
from mapping.sections import borough_section, neighbourhood_section


def render(section, page) -> str:
    return section(page, RequestFactory().get("/"))


def test_map_page_shows_the_numbers_as_tables_without_javascript(client, samples):
    response = client.get(
        reverse("mapping:london"), {"month_from": "2025-02", "month_to": "2025-05"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Crime and anti-social behaviour in London" in html
    assert "By borough" in html and "Westminster" in html
    assert "Locations with most incidents in London" in html
    assert "Incidents each month in London" in html
    assert 'role="img"' in html and "<title" in html
    assert "Synthetic demo data" not in html
    context = response.context
    assert context["grand_total"] == sum(area["total"] for area in context["areas"])
    assert [r["month"].month for r in context["trend_rows"]] == [2, 3, 4, 5]


def test_map_page_filters_by_borough_and_type(client, samples):
    response = client.get(
        reverse("mapping:london"),
        {
            "month_from": "2025-05",
            "month_to": "2025-05",
            "borough": "E09000001",
            "category": "anti-social-behaviour",
        },
    )
    html = response.content.decode()
    assert "Crime and anti-social behaviour in City of London" in html
    context = response.context
    assert [row["type"].slug for row in context["category_rows"]] == ["anti-social-behaviour"]
    assert context["selected_categories"] == ["anti-social-behaviour"]
    assert 'value="anti-social-behaviour" checked' in html


def test_map_page_shows_errors_for_bad_filters(client, samples):
    response = client.get(
        reverse("mapping:london"), {"month_from": "2025-05", "month_to": "2025-02"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The end month must not be before the start month." in html


def test_synthetic_data_is_labelled_on_the_page(client, samples):
    Dataset.objects.update(synthetic=True)
    html = client.get(reverse("mapping:london")).content.decode()
    assert "Synthetic demo data — not real crimes" in html


def test_borough_section(samples):
    html = render(borough_section, SimpleNamespace(ons_code="E09000001"))
    assert "Crime and anti-social behaviour in City of London" in html
    assert "Show the data as a table" in html
    assert "Locations with most incidents in City of London" in html
    assert 'id="local-map-E09000001"' in html


def test_neighbourhood_section(samples):
    from mapping.models import SnapPoint
    from mapping.services import retag_neighbourhoods

    # Tag the City's locations as one neighbourhood, as a published page would.
    codes = dict(SnapPoint.objects.values_list("pk", "borough_code"))
    changed = retag_neighbourhoods(
        ward_lookup=lambda lat, lon, borough: "E05009999" if 51.51 < lat < 51.52 else ""
    )
    assert changed > 0 and codes
    page = SimpleNamespace(
        ward_code="E05009999",
        title="Cornhill",
        centre_latitude=51.514,
        centre_longitude=-0.088,
    )
    html = render(neighbourhood_section, page)
    assert "Crime and anti-social behaviour in Cornhill" in html
    assert "Incidents each month in Cornhill" in html


def test_neighbourhood_section_without_a_ward_code(db):
    html = render(neighbourhood_section, SimpleNamespace(title="New team"))
    assert "once this neighbourhood" in html
    assert "incidents recorded by the police" not in html  # London's total is not its own


def test_bar_chart_geometry():
    chart = charts.bar_chart([("January 2025", "Jan", 40), ("February 2025", "Feb", 0)])
    assert chart.maximum == 40
    assert [tick.value for tick in chart.ticks] == [0, 10, 20, 30, 40]
    assert chart.bars[0].height > 0 and chart.bars[1].height == 0
    assert chart.bars[0].y + chart.bars[0].height == chart.plot_bottom
    assert charts.nice_step(0) == 1 and charts.nice_step(3735) == 1000
    assert charts.nice_step(8) == 2


def test_a_month_that_is_not_a_date_is_a_plain_error_on_the_map_page(client, db):
    response = client.get(reverse("mapping:london"), {"month_from": "0000-01"})
    assert response.status_code == 200
    assert "Enter a month between 2000 and 2100" in response.content.decode()


def test_map_page_credits_police_uk_and_wraps_its_tables(client, samples):
    response = client.get(reverse("mapping:london"), {"borough": "E09000012"})
    html = response.content.decode()
    # The map's attribution adds police.uk's open data licence to the tiles' credit.
    assert (
        '<template data-mapping-attribution>Crime data: <a href="https://data.police.uk/">'
        'police.uk</a>, <a href="https://www.nationalarchives.gov.uk/doc/'
        'open-government-licence/version/3/">Open Government Licence v3.0</a></template>'
    ) in html
    # Every table sits in a labelled region that scrolls from the keyboard if it must.
    assert html.count("<table ") == html.count('class="mapping-table-scroll" role="region"') >= 3
    assert 'aria-label="By type, in Hackney" tabindex="0"' in html
