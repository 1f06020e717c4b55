"""The map data API's public Cache-Control comes from the MAP_DATA_MAX_AGE setting."""

from django.test import override_settings
from django.urls import reverse


@override_settings(MAP_DATA_MAX_AGE=1234)
def test_the_api_is_cacheable_for_map_data_max_age_seconds(client, samples):
    response = client.get(reverse("mapping:areas"), {"month_from": "2025-01"})
    assert response.status_code == 200
    assert "max-age=1234" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
