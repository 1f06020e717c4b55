"""The reporting app's message kinds, as one table: who each is for, what composes it,
and what follows once it is delivered or dead. Registered with the outbox at start-up
(``ReportingConfig.ready``)."""

from __future__ import annotations

from reporting import messages, services
from reporting.outbox import kinds
from reporting.outbox.kinds import MessageKind
from reporting.outbox.models import Audience

KINDS: tuple[MessageKind, ...] = (
    MessageKind(
        messages.CASE_REPORT,
        "Report to the borough's case system",
        Audience.CASE_SYSTEM,
        compose=messages.compose_case_report,
        on_delivered=services.note_reached_case_system,
        on_dead=services.note_dead_letter,
    ),
    MessageKind(
        messages.BOROUGH_NEW_REPORT,
        "New report to the borough's ASB inbox",
        Audience.BOROUGH,
        compose=messages.compose_new_report,
        on_delivered=services.note_reached_borough_inbox,
        on_dead=services.note_dead_letter,
    ),
    MessageKind(
        messages.TEAM_NEW_REPORT,
        "New report to the Safer Neighbourhoods team",
        Audience.TEAM,
        compose=messages.compose_new_report,
        on_dead=services.note_dead_letter,
    ),
    MessageKind(
        messages.BOROUGH_RESIDENT_INFO,
        "More information from the resident, to the borough",
        Audience.BOROUGH,
        compose=messages.compose_resident_info,
        on_dead=services.note_dead_letter,
    ),
    MessageKind(
        messages.RESIDENT_CONFIRMATION,
        "Acknowledgement to the resident",
        Audience.RESIDENT,
        compose=messages.compose_confirmation,
    ),
    MessageKind(
        messages.RESIDENT_STATUS_UPDATE,
        "Status update to the resident",
        Audience.RESIDENT,
        compose=messages.compose_status_update,
    ),
    MessageKind(
        messages.RESIDENT_TRACKING_LINK,
        "Private tracking link to the resident (asked for again)",
        Audience.RESIDENT,
        compose=messages.compose_tracking_link,
    ),
    MessageKind(
        messages.RESIDENT_CALLBACK_INVITATION,
        "Call-back questions to the resident",
        Audience.RESIDENT,
        compose=messages.compose_callback_invitation,
    ),
    MessageKind(
        messages.RESIDENT_APOLOGY,
        '"We could not reach your borough" to the resident',
        Audience.RESIDENT,
        compose=messages.compose_apology,
    ),
    MessageKind(
        messages.STAFF_DEAD_LETTER_ALERT,
        "Failed-message alert to staff",
        Audience.STAFF,
        compose=messages.compose_dead_letter_alert,
    ),
)


def register() -> None:
    for kind in KINDS:
        kinds.register(kind)
