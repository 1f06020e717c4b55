"""One adapter per channel (email, Open311, signed webhook), behind one interface.

``AdapterPool`` gives a drain loop one adapter per channel for its whole run, so that
SMTP connections and HTTP keep-alive are reused from one message to the next.
"""

from __future__ import annotations

from reporting.outbox.adapters.base import Adapter, DeliveryError, SendResult
from reporting.outbox.adapters.email import EmailAdapter
from reporting.outbox.adapters.open311 import Open311Adapter
from reporting.outbox.adapters.webhook import WebhookAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    "email": EmailAdapter,
    "open311": Open311Adapter,
    "webhook": WebhookAdapter,
}


class AdapterPool:
    def __init__(self) -> None:
        self._adapters: dict[str, Adapter] = {}

    def for_channel(self, channel: str) -> Adapter:
        adapter = self._adapters.get(channel)
        if adapter is None:
            adapter = self._adapters[channel] = _new_adapter(channel)
        return adapter

    def close(self) -> None:
        for adapter in self._adapters.values():
            adapter.close()
        self._adapters.clear()


def _new_adapter(channel: str) -> Adapter:
    try:
        return ADAPTERS[channel]()
    except KeyError:
        raise DeliveryError(f"Unknown channel {channel!r}", permanent=True) from None


__all__ = ["Adapter", "AdapterPool", "DeliveryError", "SendResult"]
