"""The reporting app in the Wagtail admin: triage views for borough staff, the outbox
(with a dashboard panel when messages need staff), the call-back survey results, and the
borough staff list for administrators."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from geography.boundaries import borough_name
from reporting import admin_outbox, admin_views, selectors
from reporting.models import BoroughStaff
from reporting.outbox import selectors as outbox_selectors


class ReportsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return selectors.is_reporting_staff(request.user)


admin_urlpatterns = [
    path("", admin_views.report_list, name="list"),
    path("<int:pk>/", admin_views.report_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", admin_views.report_photo, name="photo"),
    path("callback-survey/", admin_views.callbacks, name="callbacks"),
    path("access-log/", admin_views.access_log, name="access_log"),
]
outbox_urlpatterns = [
    path("", admin_outbox.index, name="index"),
    path("<int:pk>/", admin_outbox.detail, name="message"),
    path("<int:pk>/retry/", admin_outbox.retry, name="retry"),
]


@hooks.register("register_admin_urls")
def register_reporting_admin_urls():
    return [
        path(
            "asb-reports/",
            include((admin_urlpatterns, "reporting_admin"), namespace="reporting_admin"),
        ),
        path("outbox/", include((outbox_urlpatterns, "outbox_admin"), namespace="outbox_admin")),
    ]


class OutboxMenuItem(MenuItem):
    """Says how many messages are dead, so nobody has to go looking."""

    def is_shown(self, request) -> bool:
        return admin_outbox.may_view(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        codes = selectors.staff_borough_codes(request.user)
        dead = outbox_selectors.dead_letters(codes).count()
        if dead:
            component.label = f"{self.label} ({dead} failed)"
        return component


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem("Outbox", reverse("outbox_admin:index"), icon_name="mail", order=151)


@hooks.register("register_permissions")
def register_access_log_permission():
    """Administrators give borough leads "can view access log" on the group page."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="reporting", codename="view_accesslog")


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return selectors.is_reporting_staff(request.user) and request.user.has_perm(
            "reporting.view_accesslog"
        )


@hooks.register("register_admin_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem(
        "Access log", reverse("reporting_admin:access_log"), icon_name="view", order=153
    )


@hooks.register("register_admin_menu_item")
def register_callbacks_menu_item():
    return ReportsMenuItem(
        "Call-back survey", reverse("reporting_admin:callbacks"), icon_name="list-ul", order=152
    )


class OutboxPanel(Component):
    name = "outbox_attention"
    template_name = "reporting/admin/outbox_panel.html"
    order = 50

    def __init__(self, *, overdue, dead) -> None:
        self.overdue = overdue
        self.dead = dead

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(overdue=self.overdue, dead_count=self.dead.count(), dead=list(self.dead[:5]))
        return context


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    """Borough leads and officers see, first thing, any message to their borough that has
    failed for longer than the borough's first-contact promise, and every dead letter."""
    if not admin_outbox.may_view(request.user):
        return
    codes = selectors.staff_borough_codes(request.user)
    overdue = selectors.overdue_to_boroughs(codes)
    dead = outbox_selectors.dead_letters(codes)
    if overdue or dead.exists():
        panels.insert(0, OutboxPanel(overdue=overdue, dead=dead))


class OpenReportsPanel(Component):
    """The officer's dashboard: their boroughs' open reports, overdue and due soon first,
    each with its reference, category, place and due-by time only (nothing personal, so
    showing it is not a look at a victim's data)."""

    name = "open_reports"
    template_name = "reporting/admin/open_reports_panel.html"
    order = 60

    class Media:
        css = {"all": ["reporting/admin.css"]}

    def __init__(self, *, summary, borough_names: str) -> None:
        self.summary = summary
        self.borough_names = borough_names

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            summary=self.summary,
            borough_names=self.borough_names,
            more=self.summary.total > len(self.summary.first),
        )
        return context


@hooks.register("construct_homepage_panels")
def add_open_reports_panel(request, panels):
    """Reporting staff see their open reports first thing (after anything the outbox
    needs them for)."""
    if not selectors.is_reporting_staff(request.user):
        return
    codes = selectors.staff_borough_codes(request.user)
    names = ", ".join(sorted(borough_name(code) or code for code in codes or []))
    panel = OpenReportsPanel(
        summary=selectors.open_reports_for_dashboard(request.user), borough_names=names
    )
    after = [i for i, p in enumerate(panels) if isinstance(p, OutboxPanel)]
    panels.insert(after[-1] + 1 if after else 0, panel)


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
