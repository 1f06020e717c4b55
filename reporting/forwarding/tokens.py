"""Secrets the forwarding app hands out: Open311 API keys and call-back survey links.

Only hashes are stored. A survey link's token is derived (HMAC with the site's secret key)
from a random per-survey nonce, so the invitation email can be sent by a background task
without the token ever being stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def secret_matches(value: str, hashed: str) -> bool:
    return hmac.compare_digest(hash_secret(value), hashed)


def new_nonce() -> str:
    return secrets.token_hex(16)


def survey_token(nonce: str) -> str:
    digest = salted_hmac("forwarding.callback", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
