"""Adapters that hand a report to a borough's case system: one per kind of system.

``adapter_for(config)`` picks the adapter; every adapter has ``send(payload)`` returning a
:class:`SendResult` or raising :class:`DeliveryError`. HTTP goes through
``reporting.forwarding.adapters.http`` only, always with the configured timeout.
"""

from __future__ import annotations

from reporting.forwarding.adapters.base import Adapter, DeliveryError, SendResult
from reporting.forwarding.models import AdapterKind, CaseSystemConfig


def adapter_for(config: CaseSystemConfig) -> Adapter:
    from reporting.forwarding.adapters.email import EmailAdapter
    from reporting.forwarding.adapters.open311 import Open311Adapter
    from reporting.forwarding.adapters.webhook import WebhookAdapter

    kinds: dict[str, type[Adapter]] = {
        AdapterKind.OPEN311: Open311Adapter,
        AdapterKind.WEBHOOK: WebhookAdapter,
        AdapterKind.EMAIL: EmailAdapter,
    }
    try:
        return kinds[config.kind](config)
    except KeyError:
        raise DeliveryError(f"Unknown adapter kind {config.kind!r}", permanent=True) from None


__all__ = ["Adapter", "DeliveryError", "SendResult", "adapter_for"]
