"""Staff sign-in "like a bank's": a second factor for everyone who can read reports or
edit pages, locked accounts, throttled password resets, short staff sessions.

A leaf like ``geography``: it imports nothing of the portal but ``throttling``.
"""
