"""Admin hooks: set up a new borough's editorial groups and workflow as soon as it exists."""

from wagtail import hooks

from standards import services
from standards.models import BoroughPage, NeighbourhoodPage


@hooks.register("after_create_page")
def set_up_editorial_for_new_page(request, page):
    page = page.specific
    if isinstance(page, BoroughPage):
        services.setup_borough_editorial(borough_page=page)
    elif isinstance(page, NeighbourhoodPage):
        services.setup_neighbourhood_editor_group(neighbourhood_page=page)
