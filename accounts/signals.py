"""Marks a request on which someone signed in, for ``accounts.middleware`` (which gives a
staff session its 30 minutes after the view, whatever the login view set)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SIGNED_IN_NOW = "accounts_signed_in_now"


@receiver(user_logged_in, dispatch_uid="accounts.signed_in_now")
def mark_signed_in(sender, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None:
        setattr(request, SIGNED_IN_NOW, True)
