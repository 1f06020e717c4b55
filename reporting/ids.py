"""Public references and secret tracking tokens.

A reference (``ASB-7K3M-9QX2``) is random Crockford base32: easy to read out on the phone
(no I, L, O or U), unique, and reveals nothing about how many reports exist.

The tracking token is the secret in the resident's private link. It is derived with an
HMAC of the site's secret key over a random per-report nonce, so the server can put the
link in every email it sends without keeping the token itself: the database holds only
the nonce and the SHA-256 of the token, and a database copy alone cannot rebuild a link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "ASB"
_DECODE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_reference() -> str:
    chars = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(8))
    return f"{REFERENCE_PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Accept what people type: any case, spaces, missing dashes, O for 0 and I/L for 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if cleaned.startswith(REFERENCE_PREFIX):
        cleaned = cleaned[len(REFERENCE_PREFIX) :]
    cleaned = cleaned.translate(_DECODE)
    if len(cleaned) != 8 or any(ch not in CROCKFORD_ALPHABET for ch in cleaned):
        return ""
    return f"{REFERENCE_PREFIX}-{cleaned[:4]}-{cleaned[4:]}"


def new_nonce(nbytes: int = 32) -> str:
    return secrets.token_hex(nbytes)


def tracking_token(nonce: str) -> str:
    digest = salted_hmac("reporting.tracking", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)


def survey_token(nonce: str) -> str:
    """The secret in a call-back survey link, derived like the tracking token. (The salt
    keeps its historical name so that links already sent keep working.)"""
    digest = salted_hmac("forwarding.callback", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
