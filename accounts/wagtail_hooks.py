"""Staff sign-in in the Wagtail admin: "Two-step verification" in the account menu, and
"Locked accounts" in Settings for those who may see django-axes' lockouts."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import admin_views

admin_urlpatterns = [
    path("", admin_views.security, name="security"),
    path("passkeys/<int:pk>/remove/", admin_views.remove_passkey, name="remove_passkey"),
    path("authenticator/remove/", admin_views.remove_authenticator, name="remove_authenticator"),
]
lockout_urlpatterns = [path("", admin_views.lockouts, name="lockouts")]


@hooks.register("register_admin_urls")
def register_accounts_admin_urls():
    return [
        path(
            "two-step-verification/",
            include((admin_urlpatterns, "accounts_admin"), namespace="accounts_admin"),
        ),
        path(
            "locked-accounts/",
            include((lockout_urlpatterns, "accounts_lockouts"), namespace="accounts_lockouts"),
        ),
    ]


@hooks.register("register_account_menu_item")
def register_two_step_menu_item(request):
    return {
        "url": reverse("accounts_admin:security"),
        "label": "Two-step verification",
        "help_text": "Your authenticator app, passkeys and recovery codes.",
    }


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.VIEW_LOCKOUTS)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        "Locked accounts", reverse("accounts_lockouts:lockouts"), icon_name="lock", order=620
    )


@hooks.register("register_permissions")
def register_lockout_permissions():
    """Administrators give "can view / delete access attempt" (see and unlock locked
    accounts) on Wagtail's group page."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="axes",
        codename__in=[
            admin_views.VIEW_LOCKOUTS.split(".")[1],
            admin_views.UNLOCK.split(".")[1],
        ],
    )
