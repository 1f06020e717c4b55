"""The second step of staff sign-in (under /staff/; passkeys' JSON API: portal/urls.py)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("recovery-code/", views.verify_recovery, name="verify_recovery"),
    path("set-up/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
