"""The registry of message kinds: what each kind of message is, as data.

An app that sends messages registers each kind once, at start-up (its AppConfig.ready):

* ``compose(message)`` builds the envelope (what is said, to whom) when the message is
  sent, or raises :class:`Cancel` when there is nothing to send any more (the resident
  asked not to be contacted, their details were removed);
* ``on_delivered(message, result)`` runs in the same transaction that marks it
  delivered (a note on the report's timeline, the report's status);
* ``on_dead(message)`` runs in the same transaction that dead-letters it (tell staff,
  apologise to the resident); messages it posts are delivered like any other.

The outbox calls these and nothing else of the app, so it never imports the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporting.outbox.adapters.base import Envelope, SendResult
    from reporting.outbox.models import Message


class Cancel(Exception):  # noqa: N818 - it is an instruction, not an error
    """Nothing to send for this message any more; the reason is shown to staff."""


class UnknownKind(LookupError):
    pass


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: str
    audience: str
    compose: Callable[[Message], Envelope]
    on_delivered: Callable[[Message, SendResult], Any] | None = None
    on_dead: Callable[[Message], Any] | None = None


_KINDS: dict[str, MessageKind] = {}


def register(kind: MessageKind) -> MessageKind:
    """Register a kind (again, harmlessly, when an app's ready() runs twice)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing.audience != kind.audience:
        raise ValueError(f"Message kind {kind.name!r} is already registered differently")
    _KINDS[kind.name] = kind
    return kind


def kind_for(name: str) -> MessageKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(f"No message kind {name!r} is registered") from None


def label_for(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name


def registered() -> tuple[MessageKind, ...]:
    return tuple(_KINDS.values())
