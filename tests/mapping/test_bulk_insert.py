"""Bulk inserts store exactly the rows given, whichever way the database takes them."""

import datetime as dt
import struct

import pytest

from mapping.bulk_insert import (
    COPY_SIGNATURE,
    COPY_TRAILER,
    Same,
    binary_copy_data,
    insert_columns,
    insert_rows,
)
from mapping.categories import FIELDS
from mapping.factories import DatasetFactory
from mapping.models import CellMonth, Dataset

MONTH = dt.date(2024, 3, 1)
COLUMNS = [
    "dataset_id",
    "zoom",
    "x",
    "y",
    "month",
    *FIELDS,
    "total",
    "latitude_sum",
    "longitude_sum",
]


@pytest.fixture
def dataset(db) -> Dataset:
    return DatasetFactory(month=MONTH, source="test.csv")


def stored() -> list[tuple]:
    return list(
        CellMonth.objects.order_by("zoom", "x", "y").values_list(
            "zoom", "x", "y", "month", *FIELDS, "total", "latitude_sum", "longitude_sum"
        )
    )


def cell_rows(count: int) -> list[tuple]:
    """Rows of distinct cells with every kind of value a count table holds."""
    types = len(FIELDS)
    return [
        (11 + n % 3, 1020 + n, 680 - n, MONTH, *[(n * 7 + t) % 5 for t in range(types)],
         n * 2 + 1, 51.5 * (n + 1) + 0.123456, -0.1275 * (n + 1))
        for n in range(count)
    ]  # fmt: skip


def test_columns_store_the_same_rows_as_rows(dataset):
    rows = cell_rows(50)
    insert_columns(CellMonth, COLUMNS, [Same(dataset.pk), *map(list, zip(*rows, strict=True))])
    by_columns = stored()
    CellMonth.objects.all().delete()
    insert_rows(CellMonth, COLUMNS, [(dataset.pk, *row) for row in rows])
    assert stored() == by_columns == sorted(rows)


def test_a_shared_value_and_a_date_column(dataset):
    rows = cell_rows(3)
    columns = [list(column) for column in zip(*rows, strict=True)]
    columns[3] = Same(MONTH)
    assert insert_columns(CellMonth, COLUMNS, [Same(dataset.pk), *columns]) == 3
    assert {row[3] for row in stored()} == {MONTH}
    assert list(CellMonth.objects.values_list("dataset_id", flat=True).distinct()) == [dataset.pk]


def test_no_rows_inserts_nothing(dataset):
    columns = [[] for _ in COLUMNS[1:]]
    assert insert_columns(CellMonth, COLUMNS, [Same(dataset.pk), *columns]) == 0
    assert not CellMonth.objects.exists()


def test_columns_of_different_lengths_are_refused(dataset):
    columns = [list(column) for column in zip(*cell_rows(3), strict=True)]
    columns[0] = columns[0][:2]
    with pytest.raises(ValueError, match="different lengths"):
        insert_columns(CellMonth, COLUMNS, [Same(dataset.pk), *columns])
    with pytest.raises(ValueError):
        insert_columns(CellMonth, COLUMNS, [Same(value) for value in cell_rows(1)[0]])


def test_binary_copy_data_is_postgresqls_format():
    """Signature, then per row: the field count, and each field's length and value
    (a date as days since 2000-01-01), then the trailer."""
    data = binary_copy_data(
        ["smallint", "integer", "bigint", "date", "double precision"],
        [[2, 3], Same(-7), [2**40, 5], Same(dt.date(2000, 1, 31)), [0.5, -1.25]],
    )
    row = struct.Struct(">h ih ii iq ii id")
    assert data == (
        COPY_SIGNATURE
        + row.pack(5, 2, 2, 4, -7, 8, 2**40, 4, 30, 8, 0.5)
        + row.pack(5, 2, 3, 4, -7, 8, 5, 4, 30, 8, -1.25)
        + COPY_TRAILER
    )
    assert COPY_SIGNATURE.startswith(b"PGCOPY\n\xff\r\n\x00") and len(COPY_SIGNATURE) == 19
