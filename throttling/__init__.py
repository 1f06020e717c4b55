"""Atomic rate limits shared by every process (a leaf: it imports nothing of the portal).

``allow(request, scope=..., limit=...)`` counts one attempt and says whether it is within
the limit for the current window. The count is atomic across processes and machines: on
Redis (``CACHE_URL=redis://...``) an INCR; otherwise one upsert on the database
(``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), which SQLite and PostgreSQL both run
as a single statement. Never a read followed by a write.
"""

__all__ = ["allow", "allow_key", "client_ip", "remaining", "retry_after"]


def __getattr__(name: str):
    # ``throttling.allow`` without importing the models before Django's apps are ready.
    if name in __all__:
        from throttling import limits

        return getattr(limits, name)
    raise AttributeError(name)
