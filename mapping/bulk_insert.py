"""Bulk inserts into the map's count tables, as fast as each database allows.

``insert_rows`` takes rows; ``insert_columns`` takes columns (lists, or ``Same(value)``
for a value every row shares), which is how the importer holds its counts. SQLite gets
``executemany``; PostgreSQL gets binary ``COPY``. When every column of a PostgreSQL
insert has a fixed-width type (integers, floats, dates: all the count tables but the
per-area one), the whole ``COPY`` stream is packed by one ``struct`` format mapped over
the columns, so no Python code runs per row.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from django.db import connection, models

MAX_PARAMS_PER_STATEMENT = 30_000  # under SQLite's (32,766) and PostgreSQL's (65,535) limits
# PostgreSQL's binary COPY stream: signature, flags, header extension length; trailer.
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
COPY_TRAILER = b"\xff\xff"
POSTGRES_EPOCH = dt.date(2000, 1, 1)
# Fixed-width PostgreSQL types: (struct code, bytes).
FIXED_WIDTH = {
    "smallint": ("h", 2),
    "integer": ("i", 4),
    "bigint": ("q", 8),
    "double precision": ("d", 8),
    "date": ("i", 4),  # days since 2000-01-01
}


@dataclass(frozen=True)
class Same:
    """A column with the same value in every row."""

    value: Any


Column = Sequence[Any] | Same


def insert_columns(model: type[models.Model], columns: Sequence[str], values: list[Column]) -> int:
    """Insert rows given as columns (each a sequence, or ``Same``); every sequence must
    have the same length. Returns the number of rows."""
    lengths = {len(column) for column in values if not isinstance(column, Same)}
    if len(lengths) != 1:
        raise ValueError(f"columns of different lengths or none: {sorted(lengths)}")
    count = lengths.pop()
    if not count:
        return 0
    types = _column_types(model, columns)
    if _copies() and all(t in FIXED_WIDTH for t in types):
        _copy_binary(model, columns, binary_copy_data(types, values))
        return count
    adapted = [_rows_value(column, kind) for column, kind in zip(values, types, strict=True)]
    # zip stops with the sequences (the Same columns repeat for ever).
    insert_rows(model, columns, zip(*adapted, strict=False))
    return count


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows: SQLite's executemany, PostgreSQL's binary COPY (psycopg formats each
    row), or multi-row INSERTs of as many rows as the parameter limit allows."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    # Quoted identifiers of our own tables; every value is a parameter.
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(head + placeholder, rows)
            return
        if _copies():
            # psycopg 3: COPY is PostgreSQL's bulk path (no statement parsing per row).
            # Build every row first: a row generator may itself query the database (the
            # neighbourhood lookup does), and the connection is busy for the whole COPY.
            rows = list(rows)
            types = _column_types(model, columns)
            with cursor.cursor.copy(_copy_statement(model, columns)) as copy:
                copy.set_types(types)  # binary: nothing to format or parse per value
                for row in rows:
                    copy.write_row(row)
            return
        per_statement = max(1, MAX_PARAMS_PER_STATEMENT // len(columns))
        chunk: list[Any] = []
        count = 0
        for row in rows:
            chunk.extend(row)
            count += 1
            if count == per_statement:
                cursor.execute(head + ", ".join([placeholder] * count), chunk)
                chunk, count = [], 0
        if count:
            cursor.execute(head + ", ".join([placeholder] * count), chunk)


def binary_copy_data(types: Sequence[str], values: Sequence[Column]) -> bytes:
    """PostgreSQL's binary COPY stream for columns of fixed-width ``types``: each row is
    its field count, then each field's length and value, all packed by one format."""
    row_format = struct.Struct(">h" + "".join("i" + FIXED_WIDTH[t][0] for t in types))
    arguments: list[Iterable[Any]] = [repeat(len(types))]
    for kind, column in zip(types, values, strict=True):
        arguments.append(repeat(FIXED_WIDTH[kind][1]))
        if isinstance(column, Same):
            arguments.append(repeat(_postgres_value(column.value, kind)))
        elif kind == "date":
            arguments.append(map(_postgres_days, column))
        else:
            arguments.append(column)
    # map stops with the shortest argument: the columns (the rest repeat for ever).
    return b"".join((COPY_SIGNATURE, *map(row_format.pack, *arguments), COPY_TRAILER))


def _postgres_days(day: dt.date) -> int:
    return (day - POSTGRES_EPOCH).days


def _postgres_value(value: Any, kind: str) -> Any:
    return _postgres_days(value) if kind == "date" else value


def _rows_value(column: Column, kind: str) -> Iterable[Any]:
    """A column as insert_rows wants its values (dates as the backend adapts them)."""
    if isinstance(column, Same):
        value = column.value
        if kind == "date":
            value = connection.ops.adapt_datefield_value(value)
        return repeat(value)
    if kind == "date":
        return map(connection.ops.adapt_datefield_value, column)
    return column


def _copies() -> bool:
    """Whether the connection can COPY (PostgreSQL through psycopg 3)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _copy_binary(model: type[models.Model], columns: Sequence[str], data: bytes) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(_copy_statement(model, columns)) as copy:
        copy.write(data)


def _copy_statement(model: type[models.Model], columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN (FORMAT BINARY)"


def _column_types(model: type[models.Model], columns: Sequence[str]) -> list[str]:
    """The database types of the columns, without modifiers ("varchar(9)" -> "varchar")."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    return [fields[column].db_type(connection).split("(")[0] for column in columns]
