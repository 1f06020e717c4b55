"""Every message a report causes: which ones each step of its life sends (the ``for_*``
functions, read by ``reporting.services``) and what each one says (the ``compose_*``
functions, called by the outbox when it sends). ``reporting.kinds`` ties them together.

Messages to borough and SN team inboxes carry the report and a link to it in the staff
admin, never the resident's personal details: those are read in the admin, where every
read is logged. A message to the resident is addressed only when it is sent, through
``selectors.contact_route``: if by then they may not be contacted, it is not sent.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.template.loader import render_to_string

from geography.boundaries import borough_name
from reporting import links
from reporting.models import CallbackSurvey, Report, ReportEvent, RiskLevel, Status
from reporting.outbox.adapters.base import CaseEnvelope, EmailEnvelope
from reporting.outbox.kinds import Cancel, label_for
from reporting.outbox.models import (
    BOROUGH_BOUND,
    AdapterKind,
    CaseSystemConfig,
    Message,
    State,
)
from reporting.outbox.services import Outgoing
from reporting.payloads import build_payload
from reporting.routing import Route, route_borough
from reporting.selectors import contact_route

CASE_REPORT = "case_report"
BOROUGH_NEW_REPORT = "borough_new_report"
TEAM_NEW_REPORT = "team_new_report"
BOROUGH_RESIDENT_INFO = "borough_resident_info"
RESIDENT_CONFIRMATION = "resident_confirmation"
RESIDENT_STATUS_UPDATE = "resident_status_update"
RESIDENT_CALLBACK_INVITATION = "resident_callback_invitation"
RESIDENT_APOLOGY = "resident_apology"
RESIDENT_TRACKING_LINK = "resident_tracking_link"
STAFF_DEAD_LETTER_ALERT = "staff_dead_letter_alert"

# A report reaches its borough when one of these is delivered.
REACHES_BOROUGH = (CASE_REPORT, BOROUGH_NEW_REPORT)


def priority_of(report: Report) -> int:
    """Urgent and high-risk reports' messages go first."""
    if report.urgent_callback:
        return 0
    return 2 if report.risk_level == RiskLevel.HIGH else 5


def _may_email(report: Report) -> bool:
    return contact_route(report, purpose="", reveal=False).may_email


# --- which messages each step sends -----------------------------------------------------


def for_new_report(report: Report, route: Route) -> list[Outgoing]:
    priority = priority_of(report)
    items = [
        Outgoing(kind=CASE_REPORT, report=report, config=config, priority=priority)
        for config in CaseSystemConfig.objects.filter(
            borough_code=report.borough_code, enabled=True
        )
    ]
    items.append(
        Outgoing(kind=BOROUGH_NEW_REPORT, report=report, recipient=route.inbox, priority=priority)
    )
    if route.team_email:
        items.append(
            Outgoing(
                kind=TEAM_NEW_REPORT, report=report, recipient=route.team_email, priority=priority
            )
        )
    if _may_email(report):
        items.append(Outgoing(kind=RESIDENT_CONFIRMATION, report=report, priority=priority))
    return items


# "Sent to the borough" is not emailed, whoever sets it (the portal on delivery, the case
# system's own acknowledgement, staff): the resident's confirmation already said it
# happens next, and the tracking page shows when it did.
QUIET_STATUSES = frozenset({Status.SENT})


def for_status_change(report: Report, event: ReportEvent) -> list[Outgoing]:
    if event.status in QUIET_STATUSES or not _may_email(report):
        return []
    return [
        Outgoing(
            kind=RESIDENT_STATUS_UPDATE, report=report, event=event, discriminator=str(event.pk)
        )
    ]


def for_resident_info(report: Report, event: ReportEvent) -> list[Outgoing]:
    return [
        Outgoing(
            kind=BOROUGH_RESIDENT_INFO,
            report=report,
            event=event,
            recipient=route_borough(report.borough_code).inbox,
            discriminator=str(event.pk),
            priority=priority_of(report),
        )
    ]


def for_tracking_link(report: Report, *, window: str) -> list[Outgoing]:
    """The private link, asked for again through "find your report": at most one a
    ``window`` (the caller's time bucket), and only where email is safe."""
    if not _may_email(report):
        return []
    return [Outgoing(kind=RESIDENT_TRACKING_LINK, report=report, discriminator=window)]


def for_callback(report: Report) -> list[Outgoing]:
    if not _may_email(report):
        return []
    return [Outgoing(kind=RESIDENT_CALLBACK_INVITATION, report=report)]


def alert_recipients(message: Message) -> list[str]:
    """Who is told of a dead letter: the portal's alert addresses and admins, and the
    borough's ASB inbox unless that inbox is what cannot be reached."""
    recipients = list(settings.OUTBOX_ALERT_EMAILS)
    recipients += [email for _, email in getattr(settings, "ADMINS", [])]
    if message.borough_code and message.kind != BOROUGH_NEW_REPORT:
        recipients.append(route_borough(message.borough_code).inbox)
    return list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))


def reached_borough(report: Report) -> bool:
    return Message.objects.filter(
        report=report, kind__in=REACHES_BOROUGH, state=State.DELIVERED
    ).exists()


def for_dead_letter(message: Message) -> list[Outgoing]:
    """Staff are told of every borough-bound dead letter; the resident is told once if
    their report has reached no one at the borough."""
    if message.audience not in BOROUGH_BOUND:
        return []  # a resident's address that bounces, an alert that fails: the dashboard
    items = [
        Outgoing(
            kind=STAFF_DEAD_LETTER_ALERT,
            report=message.report,
            about=message,
            recipient=address,
            borough_code=message.borough_code,
            discriminator=str(message.pk),
            priority=0,
        )
        for address in alert_recipients(message)
    ]
    report = message.report
    if (
        report is not None
        and message.kind in REACHES_BOROUGH
        and not reached_borough(report)
        and _may_email(report)
    ):
        # Not before the acknowledgement: same priority, so it queues behind it.
        items.append(
            Outgoing(
                kind=RESIDENT_APOLOGY, report=report, about=message, priority=priority_of(report)
            )
        )
    return items


# --- what each message says -------------------------------------------------------------


def _context(report: Report, **extra) -> dict:
    return {
        "report": report,
        "borough_name": borough_name(report.borough_code) or report.borough_code,
        "admin_url": links.staff_url(report),
        "find_url": links.find_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        **extra,
    }


def _to_inbox(message: Message, subject: str, template: str, **extra) -> EmailEnvelope:
    report = message.report
    return EmailEnvelope(
        to=(message.recipient,),
        subject=subject,
        body=render_to_string(template, _context(report, event=message.event, **extra)),
        headers={
            "X-ASB-Reference": report.reference,
            "X-Priority": "1" if report.urgent_callback else "3",
        },
    )


def _to_resident(message: Message, subject: str, template: str, **extra) -> EmailEnvelope:
    report = message.report
    route = contact_route(report, purpose=f"email: {message.kind}")
    if not route.may_email:
        raise Cancel(route.reason or "The resident gave no email address.")
    context = _context(report, event=message.event, tracking_url=links.tracking_url(report))
    return EmailEnvelope(
        to=(route.email,),
        subject=subject,
        body=render_to_string(template, {**context, **extra}),
        headers={"X-ASB-Reference": report.reference},
    )


def compose_case_report(message: Message) -> EmailEnvelope | CaseEnvelope:
    config = message.config
    payload = build_payload(message.report, idempotency_key=str(message.idempotency_key))
    if config.kind != AdapterKind.EMAIL:
        return CaseEnvelope(target=config.target(), payload=payload)
    if not config.email_to:
        raise Cancel("The case system has no intake address configured.")
    public = {k: v for k, v in payload.as_json().items() if k not in ("contact", "people_involved")}
    risk = "HIGH RISK – " if payload.high_risk else ""
    return EmailEnvelope(
        to=(config.email_to,),
        subject=f"{risk}ASB report {payload.reference}: {payload.category_label}",
        body=render_to_string("reporting/email/case.txt", {"payload": payload}),
        headers={
            "X-ASB-Reference": payload.reference,
            "X-Priority": "1" if payload.high_risk else "3",
            "X-ASB-Risk-Level": payload.risk_level,
        },
        attachments=(
            (
                f"{payload.reference}.json",
                json.dumps(public, indent=2, sort_keys=True),
                "application/json",
            ),
        ),
    )


def compose_new_report(message: Message) -> EmailEnvelope:
    report = message.report
    urgent = "URGENT callback – " if report.urgent_callback else ""
    subject = (
        f"{urgent}New ASB report {report.reference}: {report.category_label} "
        f"({report.get_risk_level_display()} risk)"
    )
    return _to_inbox(message, subject, "reporting/email/new_report.txt")


def compose_resident_info(message: Message) -> EmailEnvelope:
    subject = f"More information on ASB report {message.report.reference}"
    return _to_inbox(message, subject, "reporting/email/resident_info.txt")


def compose_confirmation(message: Message) -> EmailEnvelope:
    subject = f"Your anti-social behaviour report {message.report.reference}"
    return _to_resident(message, subject, "reporting/email/confirmation.txt")


def compose_status_update(message: Message) -> EmailEnvelope:
    event = message.event
    status = event.get_status_display() if event and event.status else "Update"
    subject = f"Update on your report {message.report.reference}: {status}"
    return _to_resident(message, subject, "reporting/email/status_change.txt")


def compose_tracking_link(message: Message) -> EmailEnvelope:
    subject = f"Your private link to report {message.report.reference}"
    return _to_resident(message, subject, "reporting/email/tracking_link.txt")


def compose_callback_invitation(message: Message) -> EmailEnvelope:
    survey = CallbackSurvey.objects.filter(report=message.report).first()
    if survey is None:
        raise Cancel("There is no call-back survey for this report.")
    if survey.answered_at is not None:
        raise Cancel("The resident has already answered the call-back questions.")
    subject = f"How did we do? Your report {message.report.reference}"
    return _to_resident(
        message,
        subject,
        "reporting/email/callback_invitation.txt",
        callback_url=links.callback_url(survey),
    )


def compose_apology(message: Message) -> EmailEnvelope:
    if reached_borough(message.report):
        raise Cancel("The report reached the borough after all.")
    subject = f"Your report {message.report.reference} has not reached the council yet"
    return _to_resident(message, subject, "reporting/email/apology.txt")


def compose_dead_letter_alert(message: Message) -> EmailEnvelope:
    dead = message.about
    if dead is None:
        raise Cancel("The failed message no longer exists.")
    if dead.state != State.DEAD:
        raise Cancel("The failed message has been sent since.")
    report = dead.report
    name = borough_name(dead.borough_code) or dead.borough_code or "the borough"
    context = {
        "dead": dead,
        "what": label_for(dead.kind),
        "report": report,
        "borough_name": name,
        "outbox_url": links.outbox_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    reference = report.reference if report is not None else f"message {dead.pk}"
    return EmailEnvelope(
        to=(message.recipient,),
        subject=f"ASB report {reference} could not be sent to {name}",
        body=render_to_string("reporting/email/dead_letter_alert.txt", context),
        headers={"X-Priority": "1"},
    )
