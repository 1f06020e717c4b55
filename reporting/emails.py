"""The words of every email the reporting app sends (plain text, rendered from templates).

Emails to borough and SN team inboxes carry the report and a link to it in the staff
admin, never the resident's personal details: those are read in the admin, where every
read is logged.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from geography.boundaries import borough_name
from reporting import ids
from reporting.models import Notification, Report


def absolute(path: str) -> str:
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def tracking_path(report: Report) -> str:
    return reverse("reporting:track", args=[ids.tracking_token(report.tracking_nonce)])


def tracking_url(report: Report) -> str:
    return absolute(tracking_path(report))


def _subject_and_template(notification: Notification) -> tuple[str, str]:
    report = notification.report
    P = Notification.Purpose
    if notification.purpose == P.NEW_REPORT:
        urgent = "URGENT callback – " if report.urgent_callback else ""
        return (
            f"{urgent}New ASB report {report.reference}: {report.category_label} "
            f"({report.get_risk_level_display()} risk)",
            "reporting/email/new_report.txt",
        )
    if notification.purpose == P.RESIDENT_INFO:
        return (
            f"More information on ASB report {report.reference}",
            "reporting/email/resident_info.txt",
        )
    if notification.purpose == P.CONFIRMATION:
        return (
            f"Your anti-social behaviour report {report.reference}",
            "reporting/email/confirmation.txt",
        )
    return (
        f"Update on your report {report.reference}: {report.get_status_display()}",
        "reporting/email/status_change.txt",
    )


def render(notification: Notification) -> tuple[str, str]:
    subject, template = _subject_and_template(notification)
    report = notification.report
    context = {
        "report": report,
        "event": notification.event,
        "borough_name": borough_name(report.borough_code) or report.borough_code,
        "admin_url": absolute(reverse("reporting_admin:detail", args=[report.pk])),
        "find_url": absolute(reverse("reporting:find")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    if notification.channel == Notification.Channel.RESIDENT:
        context["tracking_url"] = tracking_url(report)
    return subject, render_to_string(template, context)


def send(notification: Notification) -> None:
    subject, body = render(notification)
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
    ).send(fail_silently=False)
