"""External case statuses onto the portal's statuses (reporting.models.Status).

Open311 has only ``open`` and ``closed``; mySociety's extension adds finer states and an
``external_status_code``. Webhook case systems use the documented list below. Anything
unknown is kept on the update row but changes nothing: the text still reaches the
resident's timeline.
"""

from __future__ import annotations

from reporting.models import Status

EXTERNAL_STATUSES: dict[str, str] = {
    # the case exists at the borough
    "open": Status.SENT,
    "received": Status.SENT,
    "acknowledged": Status.SENT,
    "confirmed": Status.SENT,
    # someone owns it
    "assigned": Status.ASSIGNED,
    "internal_referral": Status.ASSIGNED,
    # being dealt with
    "in_progress": Status.IN_PROGRESS,
    "investigating": Status.IN_PROGRESS,
    "action_scheduled": Status.IN_PROGRESS,
    # finished, whatever the outcome (the description says which)
    "closed": Status.CLOSED,
    "fixed": Status.CLOSED,
    "resolved": Status.CLOSED,
    "no_further_action": Status.CLOSED,
    "unable_to_fix": Status.CLOSED,
    "not_councils_responsibility": Status.CLOSED,
    "duplicate": Status.CLOSED,
}


def normalise(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def portal_status(status: str, external_status_code: str = "") -> str | None:
    """The portal status for an external one; the finer external code wins when known."""
    for value in (external_status_code, status):
        mapped = EXTERNAL_STATUSES.get(normalise(value or ""))
        if mapped is not None:
            return str(mapped)
    return None
