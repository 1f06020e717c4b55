"""Reads of the forwarding app that are more than one line."""

from __future__ import annotations

import re

from reporting.forwarding.models import Open311ApiKey
from reporting.forwarding.tokens import hash_secret
from reporting.outbox.models import CaseSystemConfig

ONS_CODE = re.compile(r"[A-Z][0-9]{8}")


def config_for(borough_code: str) -> CaseSystemConfig | None:
    if not ONS_CODE.fullmatch(borough_code):  # not a borough (and never a NUL to query)
        return None
    return CaseSystemConfig.objects.filter(borough_code=borough_code).first()


def api_key_for(key: str) -> Open311ApiKey | None:
    if not key or len(key) > 200:
        return None
    return Open311ApiKey.objects.filter(key_hash=hash_secret(key), revoked_at__isnull=True).first()
