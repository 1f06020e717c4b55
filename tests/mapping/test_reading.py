"""The two ways of reading a file agree, and an import read by worker processes stores
exactly what one read in a thread stores."""

import datetime as dt

import pytest
from django.db.models import Sum

from mapping import pipeline
from mapping.categories import FIELDS
from mapping.importer import FileResult, StreetFileReader
from mapping.models import AreaMonth, CellMonth, Dataset, PointMonth
from mapping.sources import sources_for
from mapping.synthetic import generate, months_ending
from tests.mapping.conftest import CITY, HEADER, MET, row, write_csv


def comparable(result: FileResult) -> dict:
    """Everything a result says, in a form that does not depend on reading order."""
    batches = []
    for batch in result.batches:
        counts = dict(zip(batch.point_keys, zip(*batch.point_columns, strict=True), strict=True))
        batches.append(
            {
                "force-month": (batch.force, batch.month),
                "synthetic": batch.synthetic,
                "tally": batch.tally,
                "counts": counts,
                "boroughs": batch.boroughs,
                "cells": {key: [round(v, 6) for v in cell] for key, cell in batch.cells.items()},
            }
        )
    return {"tally": result.tally, "batches": batches, "problems": result.problems}


def both_ways(path) -> tuple[FileResult | None, FileResult]:
    source = sources_for([path])[0]
    return (
        StreetFileReader().read_counted(source),
        StreetFileReader().read_row_by_row(source),
    )


@pytest.fixture
def synthetic_file(tmp_path):
    files = generate(out_dir=tmp_path, months=months_ending(dt.date(2024, 6, 1), 1), scale=0.05)
    return next(path for path in files if "metropolitan" in path.name)


def quirky_but_good_rows(tmp_path):
    return write_csv(
        tmp_path / "quirks.csv",
        [
            HEADER,
            "",
            row(crime_type="Violent crime"),
            row(lon="", lat="", location="No location", lsoa_code="", lsoa_name=""),
            row(lon="-2.456113", lat="53.584816", lsoa_name="Bolton 015E"),
            row(lsoa_code="", lsoa_name=""),
            row(lat="51.515000"),  # the same point written another way
            row() + ",an extra cell after those read",
            ",".join(row().split(",")[:10]),  # no outcome or context cells
            "",
        ],
        bom=True,
    )


def with_quotes_and_line_ends(tmp_path) -> list:
    """The same rows with a quoted cell, with CRLF line ends, and with CR alone."""
    quoted = row(location='"On or near Oxford Street, West End"')
    lines = [HEADER, row(), quoted, row(crime_type="Burglary"), row(lat="51.52")]
    paths = []
    for name, ending in (("quoted", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        path = tmp_path / f"{name}.csv"
        path.write_text(ending.join(lines) + ending, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def test_counted_and_row_by_row_reading_agree(db, tmp_path, synthetic_file):
    files = [CITY, MET, synthetic_file, quirky_but_good_rows(tmp_path)]
    for path in files + with_quotes_and_line_ends(tmp_path):
        counted, row_by_row = both_ways(path)
        assert counted is not None, path
        assert comparable(counted) == comparable(row_by_row), path
        assert counted.tally.read == row_by_row.tally.read > 0


def test_quoted_cells_are_read_whole(db, tmp_path):
    for path in with_quotes_and_line_ends(tmp_path):
        counted, _ = both_ways(path)
        (batch,) = counted.batches
        assert counted.tally.imported == 4, path
        assert (51.515, -0.141, "On or near Oxford Street, West End") in batch.point_keys


def test_long_files_are_read_in_chunks(db, tmp_path, monkeypatch):
    from mapping import rows

    monkeypatch.setattr(rows, "CHUNK_CHARS", 100)  # a chunk ends in the middle of a row
    seen = []
    source = sources_for([CITY])[0]
    chunked = StreetFileReader().read_counted(source, progress=lambda *a: seen.append(a))
    assert comparable(chunked) == comparable(StreetFileReader().read_row_by_row(source))
    assert len(seen) > 100 and seen[-1][0] == source.size


def test_the_same_point_written_two_ways_is_one_point(db, tmp_path):
    counted, _ = both_ways(quirky_but_good_rows(tmp_path))
    (batch,) = counted.batches
    assert (counted.tally.read, counted.tally.imported) == (7, 5)
    assert (counted.tally.without_location, counted.tally.outside_london) == (1, 1)
    total = FIELDS.index("asb"), len(FIELDS)
    assert {
        key: (batch.point_columns[total[0]][i], batch.point_columns[total[1]][i])
        for i, key in enumerate(batch.point_keys)
    } == {  # fmt: skip
        (51.515, -0.141, "On or near Oxford Street"): (4, 5)
    }


@pytest.mark.parametrize(
    "bad_line",
    [
        "only,three,columns",
        row(crime_type="Hoax call"),
        row(month="March 2024"),
        row(force=""),
        row(lon="west"),
        row(lat="95.0"),
        row(month="2024-04"),  # a second force-month in the file
        row(location="On or near A, B"),  # an unquoted comma shifts the columns
        "   ",
    ],
)
def test_files_with_rows_to_report_are_read_row_by_row(db, tmp_path, bad_line):
    path = write_csv(tmp_path / "bad.csv", [HEADER, row(), bad_line, row()])
    counted, row_by_row = both_ways(path)
    assert counted is None
    assert StreetFileReader().read(sources_for([path])[0]).tally == row_by_row.tally
    if bad_line.strip() and "2024-04" not in bad_line:
        assert row_by_row.tally.rejected == 1
        assert row_by_row.problems[0].line == 3


def test_a_shifted_row_is_reported_by_its_column_count(db, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [HEADER, row(location="On or near A, B")])
    result = StreetFileReader().read(sources_for([path])[0])
    assert [str(p) for p in result.problems] == [f"{path}, line 2: expected 12 columns, found 13"]


def stored_counts() -> dict:
    return {
        "datasets": sorted(
            Dataset.objects.values_list(
                "force", "month", "synthetic", "rows_read", "rows_imported", "rows_outside_london"
            )
        ),
        "points": sorted(
            PointMonth.objects.values_list(
                "snap__latitude", "snap__longitude", "snap__location", "month", "total", *FIELDS
            )
        ),
        "cells": sorted(CellMonth.objects.values_list("zoom", "x", "y", "month", "total", *FIELDS)),
        "areas": sorted(AreaMonth.objects.values_list("kind", "code", "month", "total", *FIELDS)),
    }


def test_reading_in_worker_processes_stores_the_same(db, tmp_path, monkeypatch):
    generate(out_dir=tmp_path, months=months_ending(dt.date(2024, 6, 1), 3), scale=0.05)
    sources = sources_for([tmp_path, CITY])
    seen = []

    def progress(done: int, rows: int) -> None:
        seen.append((done, rows))

    in_thread = pipeline.import_sources(sources, workers=1)
    expected = stored_counts()
    Dataset.objects.all().delete()
    PointMonth.objects.all().delete()

    monkeypatch.setattr(pipeline, "PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "PROGRESS_SECONDS", 0.01)
    in_processes = pipeline.import_sources(sources, workers=2, progress=progress)
    assert stored_counts() == expected
    assert in_processes.summary == in_thread.summary
    assert in_processes.summary.read == sum(d.rows_read for d in Dataset.objects.all())
    assert seen[-1] == (sum(s.size for s in sources), in_processes.summary.read)
    assert PointMonth.objects.aggregate(n=Sum("total"))["n"] == in_processes.summary.imported


def test_command_reads_in_processes_with_a_progress_bar(db, tmp_path, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    generate(out_dir=tmp_path, months=months_ending(dt.date(2024, 6, 1), 2), scale=0.05)
    monkeypatch.setattr(pipeline, "PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "PROGRESS_SECONDS", 0.01)
    out, err = StringIO(), StringIO()
    call_command(
        "import_policeuk", str(tmp_path), "--workers", "2", "--progress", stdout=out, stderr=err
    )
    read = sum(Dataset.objects.values_list("rows_read", flat=True))
    assert f"rows read:          {read:,}" in out.getvalue()
    assert Dataset.objects.count() == 4 and all(d.synthetic for d in Dataset.objects.all())
    assert "100%" in err.getvalue()
