"""The forwarding app in the Wagtail admin: each borough's case system settings, and the
Open311 keys of services that file reports through the portal."""

from django.db import models
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from reporting.forwarding import admin_views
from reporting.outbox.models import CaseSystemConfig

admin_urlpatterns = [
    path("", admin_views.keys, name="keys"),
    path("<int:pk>/revoke/", admin_views.revoke_key, name="revoke_key"),
]


@hooks.register("register_admin_urls")
def register_forwarding_admin_urls():
    return [
        path(
            "open311-keys/",
            include((admin_urlpatterns, "forwarding_admin"), namespace="forwarding_admin"),
        )
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_keys_menu_item():
    return SuperuserMenuItem(
        "Open311 API keys", reverse("forwarding_admin:keys"), icon_name="key", order=610
    )


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

    def formfield_for_dbfield(self, db_field, **kwargs):
        """Addresses typed without a scheme are https (as Django 6 will assume)."""
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, **kwargs)


@hooks.register("register_admin_viewset")
def register_case_system_viewset():
    return CaseSystemViewSet()
