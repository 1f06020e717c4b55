"""Bad input, made deterministically from a ``random.Random``: the values the fuzz puts
into form fields, query strings, JSON bodies and raw bodies.

Every function takes the generator so one seed gives one run, the same on every machine.
"""

from __future__ import annotations

import json
import random
import string

SEED = 12  # issue 12

CONTROL = [chr(code) for code in (*range(0x00, 0x20), 0x7F)]
NUL = ["\x00", "a\x00b", "\x00" * 64, "ASB-\x00", "noise\x00"]
LONG = [
    "x" * 10_000,
    "é" * 10_000,  # two bytes each in UTF-8
    "😀" * 2_600,  # four bytes each, outside the BMP
    "word " * 2_000,
    "x" * 255,
    "x" * 256,
    "x" * 5_001,
]
UNICODE = [
    "\u202eevil",  # right-to-left override
    "\u200b\u200c\u200d",  # zero-width characters
    "\ufeff",  # byte order mark
    "\ufffe\uffff",  # noncharacters (forbidden in XML 1.0)
    "\U0010ffff",
    "e\u0301" * 50,  # combining accents
    "１２３４",  # full-width digits
    "٢٠٢٤",  # Arabic-Indic digits
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ǅ ß ﬁ İ",  # case-mapping oddities
    "\u2028\u2029",  # line and paragraph separators
]
SYNTAX = [
    "' OR '1'='1",
    '"; DROP TABLE reporting_report; --',
    "<script>alert(1)</script>",
    "]]><x/>",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%n",
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/x}",
    "\\",
    '"',
    "'",
    "#",
    "(",
    "*",
    "NEAR(",
    "-",
    "AND OR NOT",
    "a:b",
    "&amp;",
    "&#0;",
    "%00",
    "%ff",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "9" * 400,
    "9" * 5_000,
    "0x10",
    "1_000",
    "1,5",
    "51.5,",
    "１",
    "2147483648",
    "-9223372036854775809",
    "1e-400",
    "  42  ",
]
DATES = [
    "2024-02-30",
    "2023-02-29",
    "0001-01-01",
    "0000-01",
    "0000-00-00",
    "9999-99",
    "9999-12-31",
    "10000-01-01",
    "2024-13-01",
    "2024-00",
    "2024-1",
    "99999-01",
    "-2024-01",
    "2024-02-30T00:00:00Z",
    "2024-02-30T00:00:00",
    "2024-02-30 00:00:00",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59Z",
    "2024-01-01T25:61:61Z",
    "2024-01-01T00:00:00+99:00",
    "2024-01-01T00:00:00+14:01",
    "2024-01-01T00:00:00.9999999999Z",
    "1970-01-01T00:00:00Z",
    "today",
    "yesterday",
    "2024/01/01",
    "01-01-2024",
    "2024-W01",
    "2024-01-01T00:00:00 00:00",
]
EMPTY = ["", " ", "\t", "\n", "\r\n", "\u00a0", "   \x00   "]
EMAILS = [
    "a@b",
    "@",
    "a@",
    "@b.com",
    "a@@b.com",
    "a b@c.com",
    "a@b\x00.com",
    "ä@ü.de",
    "a@[127.0.0.1]",
    '"quoted\\"@example.com',
    "a@-b.com",
    "a@b..com",
    ".a@b.com",
    "a@b.c" + "o" * 300,
]
PERCENT_GARBAGE = [
    "%",
    "%%",
    "%zz",
    "%ff",
    "%fe%ff",
    "%c3%28",
    "%c0%af",
    "%ed%a0%80",  # an encoded lone surrogate
    "%f4%90%80%80",  # beyond U+10FFFF
    "%00",
    "%e2%82",
    "+%2B%20",
    "%u0041",
    "&&&",
    "=&=",
    "a=b=c",
    ";",
    "%0d%0aSet-Cookie:%20x=1",
    "%25%32%35",
    "%80" * 200,
]
RAW_BYTES = [
    b"\xff\xfe\xfd",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf8\x88\x80\x80\x80",
    b"\x00" * 16,
    b"\xfe\xff\x00a\x00=\x00b",  # UTF-16 with a BOM
    b"\x1f\x8b\x08\x00",  # the start of a gzip stream
]
METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD", "CONNECT", "FOO", "get"]
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/xml",
    "application/octet-stream",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=" + "b" * 200,
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonexistent",
    "application/x-www-form-urlencoded; charset=utf-8; charset=latin-1",
    "",
    "*/*",
    # Not "charset=\x00": Django's WSGIRequest raises ValueError for it before any
    # middleware runs, but no HTTP server passes a NUL in a header (waitress and gunicorn
    # answer 400 themselves), so it cannot reach the portal.
    "text/html; charset=\xe9\xff",
]


def long_email(rng: random.Random, length: int | None = None) -> str:
    """A well-formed email address of 255-320 characters (longer than the model allows)."""
    length = length or rng.randint(255, 320)
    local = "r" * 64
    labels = []
    remaining = length - len(local) - 1 - len(".org")
    while remaining > 0:
        size = min(63, remaining - (1 if labels else 0))
        if size <= 0:
            break
        labels.append(rng.choice(string.ascii_lowercase) * size)
        remaining -= size + (1 if len(labels) > 1 else 0)
    address = f"{local}@{'.'.join(labels)}.org"
    return address[:length] if len(address) > length else address


def control_text(rng: random.Random, good: str = "text") -> str:
    chars = rng.sample(CONTROL, rng.randint(1, 4))
    position = rng.randint(0, len(good))
    return good[:position] + "".join(chars) + good[position:]


def text(rng: random.Random, good: str = "") -> str:
    """One bad string, sometimes built around a good value."""
    family = rng.choice(
        ["nul", "control", "long", "unicode", "syntax", "number", "date", "empty", "email"]
    )
    if family == "nul":
        value = rng.choice(NUL)
    elif family == "control":
        return control_text(rng, good or "text")
    elif family == "long":
        value = rng.choice(LONG)
    elif family == "unicode":
        value = rng.choice(UNICODE)
    elif family == "syntax":
        value = rng.choice(SYNTAX)
    elif family == "number":
        value = rng.choice(NUMBERS)
    elif family == "date":
        value = rng.choice(DATES)
    elif family == "empty":
        value = rng.choice(EMPTY)
    else:
        value = long_email(rng) if rng.random() < 0.5 else rng.choice(EMAILS)
    if good and rng.random() < 0.3:
        return rng.choice([good + value, value + good])
    return value


def percent_garbage(rng: random.Random) -> str:
    """Raw text for a query string or a form body: not valid percent-encoding, or not UTF-8."""
    return "".join(rng.choice(PERCENT_GARBAGE) for _ in range(rng.randint(1, 3)))


def raw_bytes(rng: random.Random) -> bytes:
    if rng.random() < 0.3:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return rng.choice(RAW_BYTES)


# --- JSON ---------------------------------------------------------------------------------


def deep_json(depth: int, *, kind: str = "list") -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


def wrong_type(rng: random.Random):
    """A JSON value of a type a text or id field does not take."""
    return rng.choice(
        [
            0,
            -1,
            10**30,
            1.5,
            float("1e308"),
            True,
            False,
            None,
            [],
            ["a", "b"],
            {},
            {"nested": {"deeper": [1, 2, 3]}},
            [[[[[[[[[[]]]]]]]]]],
        ]
    )


def json_value(rng: random.Random, good: str = ""):
    """A bad JSON value: a bad string, a wrong type or a lone surrogate."""
    roll = rng.random()
    if roll < 0.45:
        return text(rng, good)
    if roll < 0.8:
        return wrong_type(rng)
    return rng.choice(["\ud800", "a\udfffb", "\udc00\ud800", "\\ud800"])


def json_dumps(data) -> bytes:
    """JSON as a sloppy client writes it (NaN and lone surrogates escaped, as json does)."""
    return json.dumps(data, allow_nan=True).encode("ascii")


BROKEN_JSON = [
    b"",
    b"null",
    b"[]",
    b'"a string"',
    b"1",
    b"true",
    b"{",
    b'{"a": }',
    b"{'single': 'quotes'}",
    b'{"a": 1,}',
    b'{"a": NaN, "b": Infinity, "c": -Infinity}',
    b'{"a": 1' + b"0" * 5_000 + b"}",  # an integer too long to convert
    b'{"a": 1e99999}',
    b'{"a": "\\u0000"}',
    b'{"a": "\\ud800"}',
    b'{"a": "\\x00"}',
    b"\xef\xbb\xbf{}",  # a UTF-8 byte order mark
    '{"a": "b"}'.encode("utf-16"),
    b'{"a": "\xff"}',
    b'{"a": 1} trailing',
    b'{"a": 1}{"b": 2}',
    b'{"__proto__": {"x": 1}}',
]


def broken_json(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.3:
        depth = rng.choice([100, 1_000, 10_000, 100_000])
        return deep_json(depth, kind=rng.choice(["list", "object"]))
    if roll < 0.4:
        return raw_bytes(rng)
    return rng.choice(BROKEN_JSON)
