"""Background work: sending each notification, recording every attempt."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from reporting import emails
from reporting.models import Notification
from reporting.services import mark_notification_failed, mark_notification_sent

logger = logging.getLogger(__name__)


@task()
def send_notification(notification_id: int) -> str:
    """Send one notification unless already sent; returns what happened (for the task log)."""
    notification = (
        Notification.objects.select_related("report", "event").filter(pk=notification_id).first()
    )
    if notification is None:
        return "missing"
    if notification.sent_at is not None:
        return "already sent"
    if not notification.recipient:
        mark_notification_failed(notification=notification, error="No recipient")
        return "no recipient"
    try:
        emails.send(notification)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried by the sweep
        logger.warning("Notification %s failed: %s", notification_id, error)
        mark_notification_failed(
            notification=notification, error=f"{type(error).__name__}: {error}"
        )
        if notification.attempts + 1 >= settings.REPORTING_NOTIFICATION_MAX_ATTEMPTS:
            return "failed"
        raise
    mark_notification_sent(notification=notification)
    return "sent"
