from __future__ import annotations

import os
from dataclasses import dataclass

from reporting.forwarding.models import CaseSystemConfig
from reporting.forwarding.payloads import CasePayload


@dataclass(frozen=True)
class SendResult:
    external_id: str = ""
    token: str = ""
    http_status: int | None = None
    detail: str = ""


class DeliveryError(Exception):
    """The case system did not take the report.

    ``permanent`` means trying again unchanged cannot succeed (a 4xx answer, missing
    configuration): the delivery goes straight to staff instead of retrying.
    """

    def __init__(self, message: str, *, http_status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.http_status = http_status
        self.permanent = permanent


class Adapter:
    def __init__(self, config: CaseSystemConfig) -> None:
        self.config = config

    def send(self, payload: CasePayload) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def credential(self, *, required: bool) -> str:
        """The secret named by ``credential_env``, read from the environment now."""
        name = self.config.credential_env
        value = os.environ.get(name, "") if name else ""
        if required and not value:
            where = f"environment variable {name}" if name else "credential_env"
            raise DeliveryError(f"No credential: set the {where}", permanent=True)
        return value
