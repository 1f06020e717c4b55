import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from mapping.categories import BY_SLUG, CRIME_TYPES, crime_type_for
from mapping.demo import import_paths
from mapping.importer import StreetFileReader
from mapping.models import AreaMonth, CellMonth, Dataset, PointMonth, SnapPoint
from mapping.sources import sources_for
from tests.mapping.conftest import (
    CITY,
    HEADER,
    MET,
    file_rows,
    row,
    type_counts_in_london,
    write_csv,
)


def stored_type_counts(dataset: Dataset) -> dict[str, int]:
    sums = PointMonth.objects.filter(dataset=dataset).aggregate(
        **{t.field: Sum(t.field) for t in CRIME_TYPES}
    )
    return {t.name: sums[t.field] for t in CRIME_TYPES if sums[t.field]}


def test_city_sample_summary_matches_the_file(db):
    rows = file_rows(CITY)
    summary = import_paths([CITY])
    without_location = sum(1 for r in rows if not r["Longitude"])
    assert summary.read == len(rows) == 778
    assert summary.without_location == without_location == 42
    assert summary.outside_london > 0  # e.g. "Bolton 015E"
    assert summary.rejected == 0
    assert summary.imported == 778 - 42 - summary.outside_london
    dataset = Dataset.objects.get()
    assert (dataset.force, f"{dataset.month:%Y-%m}") == ("city-of-london-police", "2025-05")
    assert not dataset.synthetic
    assert dataset.rows_read == 778 and dataset.rows_imported == summary.imported


def test_counts_by_crime_type_equal_the_files_own(samples):
    for path, force in ((CITY, "city-of-london-police"), (MET, "metropolitan-police-service")):
        dataset = Dataset.objects.get(force=force)
        assert stored_type_counts(dataset) == dict(type_counts_in_london(path))


def test_rows_are_tagged_with_their_borough_from_the_lsoa_name(samples):
    city_rows = PointMonth.objects.filter(dataset__force="city-of-london-police")
    boroughs = set(city_rows.values_list("snap__borough_code", flat=True))
    assert "E09000001" in boroughs  # the City itself
    assert len(boroughs) > 1  # and rows elsewhere in London
    # "Barking and Dagenham 002C" -> Barking and Dagenham
    point = SnapPoint.objects.get(location="On or near Sylvan Avenue", lsoa_code="E01000110")
    assert point.borough_code == "E09000002"


def test_area_and_cell_totals_equal_point_totals(samples):
    total = PointMonth.objects.aggregate(n=Sum("total"))["n"]
    assert total == Dataset.objects.aggregate(n=Sum("rows_imported"))["n"]
    boroughs = AreaMonth.objects.filter(kind=AreaMonth.BOROUGH).aggregate(n=Sum("total"))["n"]
    assert boroughs == total
    for zoom in (11, 13, 15):
        assert CellMonth.objects.filter(zoom=zoom).aggregate(n=Sum("total"))["n"] == total


def test_reimporting_a_force_month_replaces_it(samples):
    before = (
        PointMonth.objects.aggregate(n=Sum("total"))["n"],
        CellMonth.objects.count(),
        AreaMonth.objects.count(),
        SnapPoint.objects.count(),
    )
    import_paths([CITY, MET])
    after = (
        PointMonth.objects.aggregate(n=Sum("total"))["n"],
        CellMonth.objects.count(),
        AreaMonth.objects.count(),
        SnapPoint.objects.count(),
    )
    assert after == before
    assert Dataset.objects.count() == 2


def test_zip_archives_and_folders(db, tmp_path):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CITY, "2025-05/2025-05-city-of-london-street.csv")
        zipped.writestr("2025-05/2025-05-city-of-london-outcomes.csv", "not a street file")
    sources = sources_for([archive])
    assert [s.name for s in sources] == ["archive.zip:2025-05/2025-05-city-of-london-street.csv"]
    from_zip = import_paths([archive])
    folder = tmp_path / "folder" / "2025-02"
    folder.mkdir(parents=True)
    (folder / "2025-02-metropolitan-street.csv").write_bytes(MET.read_bytes())
    from_folder = import_paths([tmp_path / "folder"])
    assert from_zip.read == 778
    assert from_folder.read == len(file_rows(MET))
    assert Dataset.objects.count() == 2


def test_bom_blank_lines_and_old_category_names(db, tmp_path):
    path = write_csv(
        tmp_path / "quirks.csv",
        [
            HEADER,
            "",
            row(crime_type="Violent crime"),
            row(crime_type="Public disorder and weapons"),
            "",
            row(crime_type="anti-social-behaviour"),
            row(lon="", lat="", location="No location", lsoa_code="", lsoa_name=""),
            "",
        ],
        bom=True,
    )
    summary = import_paths([path])
    assert (summary.read, summary.imported, summary.without_location) == (4, 3, 1)
    point = PointMonth.objects.get()
    assert (point.violence, point.public_order, point.asb) == (1, 1, 1)


def test_old_names_map_to_current_types():
    assert crime_type_for("Violent crime") is BY_SLUG["violent-crime"]
    assert crime_type_for(" public-disorder-weapons ") is BY_SLUG["public-order"]
    assert crime_type_for("Shoplifting") is BY_SLUG["shoplifting"]
    assert crime_type_for("Hoax call") is None


def test_rows_outside_london_are_counted_not_imported(db, tmp_path):
    path = write_csv(
        tmp_path / "outside.csv",
        [
            HEADER,
            row(lon="-2.456113", lat="53.584816", lsoa_name="Bolton 015E"),
            # Essex, just outside Havering: the LSOA name decides, not the nearest borough.
            row(lon="0.2100", lat="51.6300", lsoa_name="Brentwood 001A"),
            # No LSOA: decided by the point's position (Westminster).
            row(lsoa_code="", lsoa_name=""),
        ],
    )
    summary = import_paths([path])
    assert (summary.outside_london, summary.imported) == (2, 1)
    assert PointMonth.objects.get().snap.borough_code == "E09000033"


def test_bad_rows_are_reported_with_file_and_line_and_skipped(db, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            row(),
            row(lon="west"),
            "only,three,columns",
            row(crime_type="Hoax call"),
            row(month="March 2024"),
            row(),
        ],
    )
    reader = StreetFileReader()
    result = reader.read(sources_for([path])[0])
    messages = [str(problem) for problem in result.problems]
    assert messages == [
        f"{path}, line 3: the coordinates ('51.515', 'west') are not numbers",
        f"{path}, line 4: expected 12 columns, found 3",
        f"{path}, line 5: unknown crime type 'Hoax call'",
        f"{path}, line 6: the month 'March 2024' is not YYYY-MM",
    ]
    assert (result.tally.read, result.tally.imported, result.tally.rejected) == (6, 2, 4)


def test_not_a_street_file_is_reported(db, tmp_path):
    path = write_csv(tmp_path / "other.csv", ["a,b,c", "1,2,3"])
    result = StreetFileReader().read(sources_for([path])[0])
    assert "not a police.uk street-level file" in str(result.problems[0])
    assert result.batches == []


def test_command_prints_a_summary_and_problems(db, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [HEADER, row(), row(lon="x")])
    out, err = StringIO(), StringIO()
    call_command("import_policeuk", str(CITY), str(path), stdout=out, stderr=err)
    text = out.getvalue()
    assert "rows read:          780" in text
    assert "without location:   42" in text
    assert "rejected:           1" in text
    assert f"Skipped {path}, line 3" in err.getvalue()
    assert "[" not in err.getvalue()  # no progress bar when stderr is not a terminal


def test_command_progress_bar_on_request(db):
    err = StringIO()
    call_command("import_policeuk", str(CITY), "--progress", stdout=StringIO(), stderr=err)
    assert "100%" in err.getvalue()


def test_synthetic_rows_are_labelled_however_imported(db, tmp_path):
    import datetime as dt

    from mapping.synthetic import generate, months_ending

    files = generate(out_dir=tmp_path, months=months_ending(dt.date(2024, 6, 1), 1), scale=0.02)
    summary = import_paths([tmp_path])  # no synthetic flag
    assert summary.imported > 300
    assert len(files) == 2
    assert Dataset.objects.count() == 2
    assert all(Dataset.objects.values_list("synthetic", flat=True))


@pytest.mark.parametrize("name", ["", "x"])
def test_command_needs_paths(db, name):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_policeuk", *([name] if name else []), stdout=StringIO())
