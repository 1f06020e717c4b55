"""How long to wait before the next attempt: exponential, capped, with jitter."""

from __future__ import annotations

import random


def backoff_seconds(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Delay after the ``attempt``-th failure (1-based).

    "Equal jitter": half the exponential delay is fixed, the other half random, so a
    burst of failures spreads out while no retry comes back immediately.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    ceiling = min(cap, base * (2 ** min(attempt - 1, 30)))
    rng = rng or random
    return ceiling / 2 + rng.uniform(0, ceiling / 2)
