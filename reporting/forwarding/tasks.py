"""Background work of the forwarding app (Django's Tasks API through django-tasks).

Tasks never raise for an expected failure: the outcome lives on the delivery row (state,
attempts, reason), which is what staff see and what the sweep works from.
"""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django_tasks import task

from reporting.forwarding import notify, services
from reporting.forwarding.adapters import DeliveryError, adapter_for
from reporting.forwarding.models import CallbackSurvey, Delivery, DeliveryState
from reporting.forwarding.payloads import build_payload

logger = logging.getLogger(__name__)


@task()
def send_delivery(delivery_id: int) -> str:
    """One attempt at one delivery, if it is due and nobody else holds it."""
    delivery = services.claim_delivery(delivery_id=delivery_id)
    if delivery is None:
        return "not due"
    started_at = timezone.now()
    start = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - start) * 1000)

    try:
        adapter = adapter_for(delivery.config)
        payload = build_payload(delivery.report, idempotency_key=str(delivery.idempotency_key))
        result = adapter.send(payload)
    except DeliveryError as error:
        logger.info("Delivery %s attempt %s failed: %s", delivery_id, delivery.attempts, error)
        return services.record_failure(
            delivery=delivery,
            error=str(error),
            permanent=error.permanent,
            http_status=error.http_status,
            started_at=started_at,
            duration_ms=elapsed(),
        )
    except Exception as error:  # noqa: BLE001 - a bug must not leave the row in "sending"
        logger.exception("Delivery %s failed unexpectedly", delivery_id)
        return services.record_failure(
            delivery=delivery,
            error=f"{type(error).__name__}: {error}",
            started_at=started_at,
            duration_ms=elapsed(),
        )
    services.record_success(
        delivery=delivery,
        external_id=result.external_id,
        token=result.token,
        http_status=result.http_status,
        started_at=started_at,
        duration_ms=elapsed(),
    )
    return DeliveryState.DELIVERED


@task()
def alert_dead_delivery(delivery_id: int) -> str:
    """Tell staff once that a delivery needs them."""
    delivery = Delivery.objects.select_related("report", "config").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.DEAD:
        return "not dead"
    if delivery.alerted_at is not None:
        return "already alerted"
    # Sent before it is marked: if sending fails, the sweep tries again (at least once).
    notify.send_dead_delivery_alert(delivery)
    services.mark_alerted(delivery_id=delivery_id)
    return "alerted"


@task()
def send_callback_invitation(survey_id: int) -> str:
    survey = CallbackSurvey.objects.select_related("report").filter(pk=survey_id).first()
    if survey is None or survey.emailed_at is not None or survey.answered_at is not None:
        return "nothing to send"
    if not notify.send_callback_invitation(survey):
        return "resident cannot be emailed"
    services.mark_invitation_sent(survey=survey)
    return "sent"
