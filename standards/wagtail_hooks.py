"""Admin hooks: set up a new borough's editorial groups and workflow as soon as it exists;
the editor's own pages on the admin home; "Submit to <sign-off>" as the edit page's main
button for editors who cannot publish; readable revision comparisons for ASB leads."""

from wagtail import hooks

from standards import admin_compare, admin_home, services
from standards.models import BoroughPage, NeighbourhoodPage

# Importing admin_compare registers the comparisons ASB leads read before approving.
REGISTERED_COMPARISONS = admin_compare.ReadableStreamFieldComparison
SUBMIT_ACTION = "action-submit"  # Wagtail's SubmitForModerationMenuItem.name


@hooks.register("after_create_page")
def set_up_editorial_for_new_page(request, page):
    page = page.specific
    if isinstance(page, BoroughPage):
        services.setup_borough_editorial(borough_page=page)
    elif isinstance(page, NeighbourhoodPage):
        services.setup_neighbourhood_editor_group(neighbourhood_page=page)


@hooks.register("construct_homepage_panels")
def add_editor_pages_panel(request, panels):
    admin_home.add_editor_pages_panel(request, panels)


@hooks.register("construct_page_action_menu")
def submit_first_for_editors_who_cannot_publish(menu_items, request, context):
    """The first item is the page's main button (Wagtail's documented way to change it).
    Wagtail puts "Save draft" there and "Submit to <workflow>" in the menu behind the
    arrow, where an SN team editor does not find it: for someone who cannot publish,
    submitting is what they came to do."""
    names = [item.name for item in menu_items]
    if SUBMIT_ACTION not in names or "action-publish" in names:
        return
    menu_items.insert(0, menu_items.pop(names.index(SUBMIT_ACTION)))
