"""Every write of the forwarding app (what comes back from case systems, and the Open311
keys of services that file through the portal). Keyword-only arguments, one
transaction each.

Updates go onto the resident's timeline through ``reporting.services.apply_update``, the
one way a report's status changes; forwarding is above reporting and never below it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting.forwarding.models import InboundUpdate, Open311ApiKey, Open311Submission
from reporting.forwarding.statuses import portal_status
from reporting.forwarding.tokens import hash_secret, new_secret
from reporting.models import Report
from reporting.outbox.models import CaseSystemConfig, Message
from reporting.services import apply_update

logger = logging.getLogger(__name__)


def set_external_id(*, message: Message, external_id: str) -> None:
    """An Open311 token has resolved to the case's id."""
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(external_id=external_id[:200])


def set_poll_cursor(*, config: CaseSystemConfig, polled_at: datetime, cursor: datetime | None):
    with transaction.atomic():
        values = {"last_polled_at": polled_at}
        if cursor is not None:
            values["poll_cursor"] = cursor
        CaseSystemConfig.objects.filter(pk=config.pk).update(**values)


# --- updates coming back ----------------------------------------------------------------


class UnknownReport(Exception):
    """No report of this borough has that reference or case id."""


@dataclass(frozen=True)
class CaseUpdate:
    update_id: str
    status: str
    updated_datetime: datetime
    description: str = ""
    external_status_code: str = ""
    reference: str = ""  # the portal's reference
    service_request_id: str = ""  # the case system's own id


@dataclass(frozen=True)
class UpdateOutcome:
    report: Report
    duplicate: bool
    portal_status: str | None


def find_report(*, borough_code: str, reference: str = "", case_id: str = "") -> Report:
    if reference:
        report = Report.objects.filter(reference=reference, borough_code=borough_code).first()
        if report is not None:
            return report
    if case_id:
        message = (
            Message.objects.filter(borough_code=borough_code, external_id=case_id)
            .exclude(external_id="")  # as the partial index "outbox_message_case" says
            .exclude(report=None)
            .select_related("report")
            .first()
        )
        if message is not None:
            return message.report
    raise UnknownReport(f"No report of {borough_code} matches {reference or case_id!r}")


def record_case_update(*, borough_code: str, update: CaseUpdate, source: str) -> UpdateOutcome:
    """Put one update from a case system on the resident's timeline; idempotent by
    (borough, update id). An update older than one already applied adds its words but
    does not turn the status back. Closing a report invites the call-back survey."""
    report = find_report(
        borough_code=borough_code, reference=update.reference, case_id=update.service_request_id
    )
    status = portal_status(update.status, update.external_status_code)
    with transaction.atomic():
        if InboundUpdate.objects.filter(
            borough_code=borough_code, update_id=update.update_id
        ).exists():
            return UpdateOutcome(report=report, duplicate=True, portal_status=status)
        newer_exists = InboundUpdate.objects.filter(
            report=report, updated_datetime__gt=update.updated_datetime
        ).exists()
        try:
            with transaction.atomic():
                InboundUpdate.objects.create(
                    borough_code=borough_code,
                    update_id=update.update_id[:200],
                    report=report,
                    source=source,
                    external_status=(update.external_status_code or update.status)[:64],
                    portal_status=status or "",
                    updated_datetime=update.updated_datetime,
                )
        except IntegrityError:  # the same update raced in from elsewhere
            return UpdateOutcome(report=report, duplicate=True, portal_status=status)
        report.refresh_from_db()
        apply_status = None if newer_exists else status
        changes = apply_status is not None and apply_status != report.status
        message = update.description.strip()
        if changes or message:
            apply_update(
                report=report,
                status=apply_status if changes else None,
                message=message,
                external_id=f"case:{borough_code}:{update.update_id}"[:200],
            )
        report.refresh_from_db()
    return UpdateOutcome(report=report, duplicate=False, portal_status=status)


# --- Open311 keys -----------------------------------------------------------------------


def issue_open311_key(*, name: str, user=None) -> tuple[Open311ApiKey, str]:
    """A new key for another service; returns the row and the key (shown once only)."""
    key = new_secret()
    with transaction.atomic():
        row = Open311ApiKey.objects.create(
            name=name.strip()[:100], prefix=key[:8], key_hash=hash_secret(key), created_by=user
        )
    return row, key


def revoke_open311_key(*, api_key: Open311ApiKey) -> None:
    with transaction.atomic():
        Open311ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def touch_open311_key(*, api_key: Open311ApiKey) -> None:
    with transaction.atomic():
        Open311ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def record_open311_submission(*, report: Report, api_key: Open311ApiKey, service_code: str):
    with transaction.atomic():
        return Open311Submission.objects.create(
            report=report, api_key=api_key, service_code=service_code[:64]
        )
