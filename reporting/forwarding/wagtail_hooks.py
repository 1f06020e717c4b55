"""The forwarding app in the Wagtail admin: case system settings per borough, deliveries
with "retry now", a dashboard alert for failed deliveries, Open311 keys, survey results."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from reporting import selectors as reporting_selectors
from reporting.forwarding import admin_views, selectors
from reporting.forwarding.models import CaseSystemConfig

admin_urlpatterns = [
    path("", admin_views.delivery_list, name="deliveries"),
    path("failed/", admin_views.failed, name="failed"),
    path("<int:pk>/", admin_views.delivery_detail, name="delivery"),
    path("<int:pk>/retry/", admin_views.retry, name="retry"),
    path("open311-keys/", admin_views.keys, name="keys"),
    path("open311-keys/<int:pk>/revoke/", admin_views.revoke_key, name="revoke_key"),
    path("callback-survey/", admin_views.callbacks, name="callbacks"),
]


@hooks.register("register_admin_urls")
def register_forwarding_admin_urls():
    return [
        path(
            "case-deliveries/",
            include((admin_urlpatterns, "forwarding_admin"), namespace="forwarding_admin"),
        )
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return reporting_selectors.is_reporting_staff(request.user)


class DeliveriesMenuItem(StaffMenuItem):
    """Shows how many deliveries failed, so nobody has to go looking."""

    def render_component(self, request):
        component = super().render_component(request)
        codes = reporting_selectors.staff_borough_codes(request.user)
        dead = selectors.dead_deliveries(codes).count()
        if dead:
            component.label = f"{self.label} ({dead} failed)"
        return component


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_deliveries_menu_item():
    return DeliveriesMenuItem(
        "Case deliveries", reverse("forwarding_admin:deliveries"), icon_name="mail", order=151
    )


@hooks.register("register_admin_menu_item")
def register_callbacks_menu_item():
    return StaffMenuItem(
        "Call-back survey", reverse("forwarding_admin:callbacks"), icon_name="list-ul", order=152
    )


@hooks.register("register_settings_menu_item")
def register_keys_menu_item():
    return SuperuserMenuItem(
        "Open311 API keys", reverse("forwarding_admin:keys"), icon_name="key", order=610
    )


class FailedDeliveriesPanel(Component):
    name = "failed_deliveries"
    template_name = "forwarding/admin/dashboard_panel.html"
    order = 50

    def __init__(self, codes):
        self.codes = codes

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        dead = selectors.dead_deliveries(self.codes)
        context["dead_count"] = dead.count()
        context["dead"] = list(dead[:5])
        return context


@hooks.register("construct_homepage_panels")
def add_failed_deliveries_panel(request, panels):
    if reporting_selectors.is_reporting_staff(request.user):
        codes = reporting_selectors.staff_borough_codes(request.user)
        if selectors.dead_deliveries(codes).exists():
            panels.insert(0, FailedDeliveriesPanel(codes))


class CaseSystemViewSet(ModelViewSet):
    model = CaseSystemConfig
    form_fields = [
        "borough_code",
        "enabled",
        "kind",
        "endpoint_url",
        "jurisdiction_id",
        "service_codes",
        "email_to",
        "credential_env",
        "inbound_secret_env",
        "poll_updates",
    ]
    list_display = ["borough_code", "kind", "enabled", "endpoint_url", "poll_updates"]
    list_filter = ["kind", "enabled"]
    icon = "cogs"
    menu_label = "Case systems"
    add_to_settings_menu = True
    name = "case-systems"


@hooks.register("register_admin_viewset")
def register_case_system_viewset():
    return CaseSystemViewSet()
