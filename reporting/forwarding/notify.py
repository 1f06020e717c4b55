"""The emails the forwarding app sends: alerts to staff and the call-back invitation."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from geography.boundaries import borough_name
from reporting.forwarding.models import CallbackSurvey, Delivery
from reporting.forwarding.payloads import SYSTEM_READER
from reporting.forwarding.tokens import survey_token
from reporting.models import AccessLog, ReportContact


def absolute(path: str) -> str:
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def alert_recipients(borough_code: str) -> list[str]:
    from reporting.routing import route_borough

    recipients = [route_borough(borough_code).inbox]
    recipients += list(settings.FORWARDING_ALERT_EMAILS)
    recipients += [email for _, email in getattr(settings, "ADMINS", [])]
    return list(dict.fromkeys(r for r in recipients if r))


def send_dead_delivery_alert(delivery: Delivery) -> None:
    name = borough_name(delivery.borough_code) or delivery.borough_code
    context = {
        "delivery": delivery,
        "borough_name": name,
        "failed_url": absolute(reverse("forwarding_admin:failed")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    EmailMessage(
        subject=f"ASB report {delivery.report.reference} could not be sent to {name}'s case system",
        body=render_to_string("forwarding/email/dead_delivery.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=alert_recipients(delivery.borough_code),
    ).send(fail_silently=False)


def resident_email(survey: CallbackSurvey) -> str:
    """The address to ask the call-back questions at, if the resident allowed contact."""
    report = survey.report
    if report.anonymous or report.anonymised_at:
        return ""
    contact = ReportContact.objects.filter(report=report).first()
    if contact is None or not contact.email or not contact.safe_to_contact:
        return ""
    AccessLog.objects.create(
        user=None, username=SYSTEM_READER, report=report, purpose="call-back invitation"
    )
    return contact.email


def callback_url(survey: CallbackSurvey) -> str:
    return absolute(reverse("forwarding:callback", args=[survey_token(survey.nonce)]))


def send_callback_invitation(survey: CallbackSurvey) -> bool:
    email = resident_email(survey)
    if not email:
        return False
    report = survey.report
    context = {
        "report": report,
        "borough_name": borough_name(report.borough_code) or report.borough_code,
        "callback_url": callback_url(survey),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    EmailMessage(
        subject=f"How did we do? Your report {report.reference}",
        body=render_to_string("forwarding/email/callback_invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    ).send(fail_silently=False)
    return True
