"""Every earlier outbound row becomes a row of the one outbox, so nothing in flight is
lost: the forwarding app's case-system deliveries (with every attempt, and the same
idempotency key, so case systems still recognise a resend) and the reporting app's email
notifications. Notifications the old code had given up on (5 failed attempts) become dead
letters, shown to staff. Unsent call-back invitations are queued."""

from django.db import migrations

OLD_MAX_ATTEMPTS = 5
CASE_STATES = {
    "pending": "queued",
    "sending": "retrying",  # whoever held it is gone: due again now
    "retrying": "retrying",
    "delivered": "delivered",
    "dead": "dead",
}
NOTIFICATION_KINDS = {
    ("borough_inbox", "new_report"): ("borough_new_report", "borough"),
    ("borough_inbox", "resident_info"): ("borough_resident_info", "borough"),
    ("sn_team", "new_report"): ("team_new_report", "team"),
    ("resident", "confirmation"): ("resident_confirmation", "resident"),
    ("resident", "status_change"): ("resident_status_update", "resident"),
}
WITH_EVENT = {"borough_resident_info", "resident_status_update"}


def _priority(report) -> int:
    if report.urgent_callback:
        return 0
    return 2 if report.risk_level == "high" else 5


def forward(apps, schema_editor):
    Delivery = apps.get_model("forwarding", "Delivery")
    DeliveryAttempt = apps.get_model("forwarding", "DeliveryAttempt")
    Notification = apps.get_model("reporting", "Notification")
    CallbackSurvey = apps.get_model("forwarding", "CallbackSurvey")
    Message = apps.get_model("outbox", "Message")
    Attempt = apps.get_model("outbox", "Attempt")
    seen = set(Message.objects.values_list("dedupe_key", flat=True))

    for delivery in Delivery.objects.select_related("report").order_by("id").iterator():
        key = f"case_report|{delivery.report_id}|config:{delivery.config_id}|"
        if key in seen:
            continue
        seen.add(key)
        state = CASE_STATES.get(delivery.state, "retrying")
        message = Message.objects.create(
            kind="case_report",
            audience="case_system",
            channel=delivery.kind,
            destination="email" if delivery.kind == "email" else f"case:{delivery.config_id}",
            report_id=delivery.report_id,
            config_id=delivery.config_id,
            borough_code=delivery.borough_code,
            dedupe_key=key,
            idempotency_key=delivery.idempotency_key,
            priority=_priority(delivery.report),
            state=state,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error,
            external_id=delivery.external_id,
            token=delivery.token,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
            dead_at=delivery.dead_at,
        )
        Attempt.objects.bulk_create(
            [
                Attempt(
                    message=message,
                    number=attempt.number,
                    started_at=attempt.started_at,
                    duration_ms=attempt.duration_ms,
                    outcome=attempt.outcome,
                    status_code=attempt.http_status,
                    error=attempt.error,
                )
                for attempt in DeliveryAttempt.objects.filter(delivery=delivery).order_by("id")
            ]
        )

    for notification in Notification.objects.select_related("report").order_by("id").iterator():
        kind, audience = NOTIFICATION_KINDS.get(
            (notification.channel, notification.purpose), (None, None)
        )
        if kind is None:
            continue
        recipient = "" if audience == "resident" else notification.recipient
        discriminator = str(notification.event_id or "") if kind in WITH_EVENT else ""
        who = recipient.strip().lower() or audience
        key = f"{kind}|{notification.report_id}|{who}|{discriminator}"
        if key in seen:
            continue
        seen.add(key)
        if notification.sent_at is not None:
            state, error = "delivered", ""
        elif notification.attempts >= OLD_MAX_ATTEMPTS:
            state = "dead"
            error = (
                f"Gave up after {notification.attempts} attempts (before the outbox). "
                f"{notification.last_error}"
            ).strip()
        else:
            state, error = "queued", notification.last_error
        Message.objects.create(
            kind=kind,
            audience=audience,
            channel="email",
            destination="email",
            report_id=notification.report_id,
            event_id=notification.event_id,
            borough_code=notification.report.borough_code,
            recipient=recipient,
            dedupe_key=key,
            priority=_priority(notification.report),
            state=state,
            attempts=notification.attempts,
            next_attempt_at=notification.created_at,
            last_error=error,
            created_at=notification.created_at,
            delivered_at=notification.sent_at,
            dead_at=notification.created_at if state == "dead" else None,
        )

    for survey in CallbackSurvey.objects.select_related("report").order_by("id").iterator():
        key = f"resident_callback_invitation|{survey.report_id}|resident|"
        if key in seen or (survey.emailed_at is None and survey.answered_at is not None):
            continue
        seen.add(key)
        Message.objects.create(
            kind="resident_callback_invitation",
            audience="resident",
            channel="email",
            destination="email",
            report_id=survey.report_id,
            borough_code=survey.borough_code,
            dedupe_key=key,
            state="delivered" if survey.emailed_at else "queued",
            attempts=1 if survey.emailed_at else 0,
            next_attempt_at=survey.invited_at,
            created_at=survey.invited_at,
            delivered_at=survey.emailed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("forwarding", "0001_initial"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
