"""Email, through Django's configured email backend (SMTP in production).

One connection is opened for a drain loop and reused from message to message; after any
error that may have left the SMTP session in doubt it is closed and opened again for the
next message. Every message carries the outbox row's stable ``Message-ID``, so a resend
(the worker died after the server accepted, before the row was marked) is recognisably the
same message.

How SMTP answers are read (RFC 5321): a 5xx reply to MAIL, RCPT or DATA is permanent and
the message is dead-lettered with the server's words; a 4xx reply, a dropped connection,
a refused connection or a timeout is temporary and retried with backoff.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from reporting.outbox.adapters.base import Adapter, DeliveryError, EmailEnvelope, SendResult


def _reply_text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def classify(error: Exception) -> DeliveryError:
    """An SMTP (or socket) error as a DeliveryError: permanent only for 5xx answers."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        words = "; ".join(f"{code} {_reply_text(text)}" for code, text in error.recipients.values())
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return DeliveryError(
            f"Recipient refused: {words}", status_code=max(codes or [0]), permanent=permanent
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # The portal's own credentials are wrong: every message would fail the same way,
        # and all of them go once the setting is fixed, so this is retried, not dead.
        return DeliveryError(
            f"The mail server refused the portal's login: {error.smtp_code} "
            f"{_reply_text(error.smtp_error)}",
            status_code=error.smtp_code,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        code = int(error.smtp_code)
        return DeliveryError(
            f"The mail server answered {code} {_reply_text(error.smtp_error)}",
            status_code=code,
            permanent=500 <= code < 600,
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"The mail server closed the connection: {error}")
    if isinstance(error, socket.timeout | TimeoutError):
        return DeliveryError(f"The mail server did not answer in time: {error}")
    if isinstance(error, OSError | smtplib.SMTPException):
        return DeliveryError(f"Could not talk to the mail server: {type(error).__name__}: {error}")
    return DeliveryError(f"Email not sent: {type(error).__name__}: {error}")


class EmailAdapter(Adapter):
    def __init__(self) -> None:
        self._connection = None

    def _open(self):
        """The open connection (opened here, so send_messages leaves it open after)."""
        if self._connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()
            self._connection = connection
        return self._connection

    def send(self, envelope: EmailEnvelope, *, message_id: str) -> SendResult:
        message = EmailMessage(
            subject=envelope.subject,
            body=envelope.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(envelope.to),
            headers={**envelope.headers, "Message-ID": message_id},
        )
        for filename, content, mimetype in envelope.attachments:
            message.attach(filename, content, mimetype)
        try:
            connection = self._open()
            sent = connection.send_messages([message])
        except Exception as error:  # noqa: BLE001 - every failure is classified and recorded
            recoverable = isinstance(
                error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError
            ) and not isinstance(error, smtplib.SMTPServerDisconnected)
            if not recoverable:
                self.close()  # the session is in doubt: start afresh for the next message
            raise classify(error) from error
        if not sent:
            raise DeliveryError("The mail server took no recipient of the message")
        return SendResult(detail="accepted by the mail server", status_code=250)

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._connection.close()
            self._connection = None
