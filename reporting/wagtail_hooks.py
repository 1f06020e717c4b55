"""The reporting app in the Wagtail admin: triage views for borough staff, and the
borough staff list for administrators."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from reporting import admin_views, selectors
from reporting.models import BoroughStaff


class ReportsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return selectors.is_reporting_staff(request.user)


admin_urlpatterns = [
    path("", admin_views.report_list, name="list"),
    path("<int:pk>/", admin_views.report_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", admin_views.report_photo, name="photo"),
]


@hooks.register("register_admin_urls")
def register_reporting_admin_urls():
    return [
        path(
            "asb-reports/",
            include((admin_urlpatterns, "reporting_admin"), namespace="reporting_admin"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        "ASB reports", reverse("reporting_admin:list"), icon_name="warning", order=150
    )


class BoroughStaffViewSet(ModelViewSet):
    model = BoroughStaff
    form_fields = ["user", "borough_code"]
    list_display = ["user", "borough_code"]
    list_filter = ["borough_code"]
    icon = "group"
    menu_label = "Borough ASB staff"
    add_to_settings_menu = True
    name = "borough-asb-staff"


@hooks.register("register_admin_viewset")
def register_borough_staff_viewset():
    return BoroughStaffViewSet()
