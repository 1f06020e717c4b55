"""Requests the fuzz sends: a :class:`Case` is one HTTP request, made from a target's good
values by one mutation (a bad value in one field or all of them, fields missing, repeated
or unknown, garbage encoding, a wrong content type or method, an oversized body).

``form_cases`` makes form posts, ``query_cases`` GET query strings and ``body_cases``
raw bodies (JSON and the like); all three are deterministic for a given generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests.fuzz import inputs

FORM = "application/x-www-form-urlencoded"
Values = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # with its raw query string, if any
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    mutation: str = ""

    def describe(self) -> str:
        body = self.body[:400] + (b"..." if len(self.body) > 400 else b"")
        path = self.path[:400] + ("..." if len(self.path) > 400 else "")
        headers = {k: v[:80] for k, v in self.headers.items()}
        return (
            f"{self.method} {path} [{self.mutation[:1500]}] content-type={self.content_type!r} "
            f"headers={headers!r} body({len(self.body)} bytes)={body!r}"
        )


def _pairs(values: Values) -> list[tuple[str, str]]:
    pairs = []
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    return pairs


def encode(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote)


def _mutated_pairs(rng: random.Random, good: Values, mutation: str) -> list[tuple[str, str]]:
    pairs = _pairs(good)
    names = [name for name, _ in pairs] or ["q"]
    if mutation == "one_field":
        target = rng.choice(names)
        return [(n, inputs.text(rng, v) if n == target else v) for n, v in pairs] or [
            (target, inputs.text(rng))
        ]
    if mutation == "all_fields":
        return [(n, inputs.text(rng, v)) for n, v in pairs]
    if mutation == "missing":
        keep = [pair for pair in pairs if rng.random() < 0.5]
        return keep
    if mutation == "repeated":
        target = rng.choice(names)
        extra = [(target, inputs.text(rng)) for _ in range(rng.randint(1, 5))]
        return pairs + extra
    if mutation == "unknown":
        extra = [(inputs.text(rng), inputs.text(rng)) for _ in range(rng.randint(1, 3))]
        extra = [(name, value) for name, value in extra if name]
        return pairs + extra
    if mutation == "bad_names":
        return [(inputs.text(rng, n), v) for n, v in pairs]
    raise ValueError(mutation)


PAIR_MUTATIONS = ["one_field", "one_field", "all_fields", "missing", "repeated", "unknown"]
PAIR_MUTATIONS += ["bad_names"]


def _garbage_string(rng: random.Random, good: Values) -> str:
    """A query string or form body with raw garbage where a value (or a name) should be."""
    pairs = _pairs(good) or [("q", "x")]
    parts = []
    target = rng.randrange(len(pairs))
    for index, (name, value) in enumerate(pairs):
        if index == target:
            if rng.random() < 0.8:
                parts.append(f"{quote(name)}={inputs.percent_garbage(rng)}")
            else:
                parts.append(f"{inputs.percent_garbage(rng)}={quote(value)}")
        else:
            parts.append(encode([(name, value)]))
    if rng.random() < 0.2:
        parts.append(inputs.percent_garbage(rng))
    return "&".join(parts)


def _with_query(path: str, query: str) -> str:
    if not query:
        return path
    return f"{path}{'&' if '?' in path else '?'}{query}"


def form_cases(
    rng: random.Random,
    path: str,
    good: Values,
    count: int,
    *,
    allowed: tuple[str, ...] = ("GET", "POST"),
    headers: dict[str, str] | None = None,
) -> Iterator[Case]:
    """``count`` mutated POSTs of the form ``good`` to ``path``."""
    headers = headers or {}
    weights = {
        "pairs": 60,
        "garbage": 10,
        "raw_bytes": 4,
        "multipart": 8,
        "content_type": 8,
        "method": 6,
        "too_many_fields": 1,
        "huge_value": 1,
        "oversized": 1,
        "json": 1,
    }
    kinds, odds = list(weights), list(weights.values())
    for _ in range(count):
        kind = rng.choices(kinds, odds)[0]
        if kind == "pairs":
            mutation = rng.choice(PAIR_MUTATIONS)
            body = encode(_mutated_pairs(rng, good, mutation)).encode()
            yield Case("POST", path, body, FORM, headers, mutation)
        elif kind == "garbage":
            yield Case("POST", path, _garbage_string(rng, good).encode(), FORM, headers, kind)
        elif kind == "raw_bytes":
            body = encode(_pairs(good)).encode() + b"&x=" + inputs.raw_bytes(rng)
            yield Case("POST", path, body, FORM, headers, kind)
        elif kind == "multipart":
            pairs = _mutated_pairs(rng, good, rng.choice(PAIR_MUTATIONS))
            data: dict[str, list[str]] = {}
            for name, value in pairs:
                data.setdefault(name, []).append(value)
            body = encode_multipart(BOUNDARY, data)
            if rng.random() < 0.3:  # cut short, or the boundary never closed
                body = body[: rng.randint(0, len(body))]
            yield Case("POST", path, body, MULTIPART_CONTENT, headers, kind)
        elif kind == "content_type":
            body = encode(_pairs(good)).encode()
            if rng.random() < 0.3:
                body = inputs.broken_json(rng)
            yield Case("POST", path, body, rng.choice(inputs.CONTENT_TYPES), headers, kind)
        elif kind == "method":
            method = rng.choice([m for m in inputs.METHODS if m not in allowed])
            body = encode(_pairs(good)).encode()
            yield Case(method, path, body, FORM, headers, kind)
        elif kind == "too_many_fields":
            body = "&".join(f"f{i}=1" for i in range(10_001)).encode()
            yield Case("POST", path, body, FORM, headers, kind)
        elif kind == "huge_value":
            pairs = _pairs(good) or [("q", "")]
            name = rng.choice(pairs)[0]
            body = encode([*pairs, (name, "x" * 1_000_000)]).encode()
            yield Case("POST", path, body, FORM, headers, kind)
        elif kind == "oversized":
            body = b"a=" + b"x" * 3_000_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE
            yield Case("POST", path, body, FORM, headers, kind)
        else:
            body = inputs.json_dumps({n: inputs.json_value(rng, v) for n, v in _pairs(good)})
            yield Case("POST", path, body, "application/json", headers, kind)


def query_cases(
    rng: random.Random,
    path: str,
    good: Values,
    count: int,
    *,
    allowed: tuple[str, ...] = ("GET", "HEAD"),
    headers: dict[str, str] | None = None,
) -> Iterator[Case]:
    """``count`` GETs of ``path`` with a mutated query string (``good`` as the base)."""
    headers = headers or {}
    weights = {"pairs": 70, "garbage": 18, "method": 6, "long": 2, "bare": 4}
    kinds, odds = list(weights), list(weights.values())
    for _ in range(count):
        kind = rng.choices(kinds, odds)[0]
        if kind == "pairs":
            mutation = rng.choice(PAIR_MUTATIONS)
            query = encode(_mutated_pairs(rng, good, mutation))
            yield Case("GET", _with_query(path, query), headers=headers, mutation=mutation)
        elif kind == "garbage":
            query = _garbage_string(rng, good)
            yield Case("GET", _with_query(path, query), headers=headers, mutation=kind)
        elif kind == "method":
            method = rng.choice([m for m in inputs.METHODS if m not in allowed] + ["POST"])
            body = encode(_pairs(good)).encode()
            yield Case(method, _with_query(path, encode(_pairs(good))), body, FORM, headers, kind)
        elif kind == "long":
            query = encode([*_pairs(good), ("x", "y" * 60_000)])
            yield Case("GET", _with_query(path, query), headers=headers, mutation=kind)
        else:
            junk = rng.choice(["?", "?&", "?=", "?==&&", "??", "?#", "?" + "&" * 500])
            yield Case("GET", path + junk, headers=headers, mutation=kind)


def body_cases(
    rng: random.Random,
    path: str,
    good: dict,
    count: int,
    *,
    sign=None,
    content_type: str = "application/json",
) -> Iterator[Case]:
    """``count`` POSTs of JSON bodies made from ``good``; ``sign(body)`` gives headers."""
    sign = sign or (lambda body: {})
    for _ in range(count):
        roll = rng.random()
        data = dict(good)
        if roll < 0.45:
            name = rng.choice(list(data))
            data[name] = inputs.json_value(rng, str(data[name]))
            body, mutation = inputs.json_dumps(data), "one_field"
        elif roll < 0.55:
            data = {name: inputs.json_value(rng, str(value)) for name, value in data.items()}
            body, mutation = inputs.json_dumps(data), "all_fields"
        elif roll < 0.65:
            data = {n: v for n, v in data.items() if rng.random() < 0.5}
            body, mutation = inputs.json_dumps(data), "missing"
        elif roll < 0.72:
            data["updated_datetime"] = rng.choice(inputs.DATES)
            body, mutation = inputs.json_dumps(data), "bad_date"
        elif roll < 0.80:
            data[rng.choice(list(data))] = _deep_value(rng)
            body, mutation = inputs.json_dumps(data), "deep_value"
        else:
            body, mutation = inputs.broken_json(rng), "broken_json"
        yield Case("POST", path, body, content_type, sign(body), mutation)


def _deep_value(rng: random.Random):
    value: object = "leaf"
    for _ in range(rng.choice([50, 500, 900])):
        value = [value] if rng.random() < 0.5 else {"a": value}
    return value
