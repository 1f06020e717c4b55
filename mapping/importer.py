"""Reading police.uk street-level CSV into counts per force-month and snap point.

``StreetFileReader.read(source)`` streams one file row by row and returns a ``Batch``
per (force, month) found in it: counts per snap point and crime type, and a ``Tally``
of what happened to the rows. Memory is bounded by the number of distinct snap points
(street locations), never by the number of rows. Nothing here writes to the database:
``mapping.services.replace_dataset`` stores a batch.

Tolerated quirks of real files: a byte-order mark, blank lines, rows with no location
(counted, not imported), rows outside London (counted, not imported), older crime type
names (see ``mapping.categories``). A row that cannot be read (wrong number of columns,
an unparseable month or coordinate, an unknown crime type) is reported with its file and
line number and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.utils.text import slugify

from mapping import geography, grid
from mapping.categories import CRIME_TYPES, crime_type_for
from mapping.sources import Source

REQUIRED_COLUMNS = (
    "Month",
    "Reported by",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
)
LSOA_NAME = re.compile(r"^(?P<district>.*\S)\s+\d{3}[A-Z]$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
NUMBER_OF_TYPES = len(CRIME_TYPES)
COORDINATE_DECIMALS = 6
# The Context text of every generated row (see mapping.synthetic), so synthetic data
# stays labelled however it is imported.
SYNTHETIC_CONTEXT = "Synthetic demo data - not real crimes"

SnapKey = tuple[float, float, str]  # latitude, longitude, location


@dataclass
class Tally:
    read: int = 0
    imported: int = 0
    without_location: int = 0
    outside_london: int = 0
    rejected: int = 0

    def add(self, other: Tally) -> None:
        self.read += other.read
        self.imported += other.imported
        self.without_location += other.without_location
        self.outside_london += other.outside_london
        self.rejected += other.rejected


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.message}"


@dataclass(frozen=True)
class SnapInfo:
    lsoa_code: str
    lsoa_name: str
    borough_code: str
    tile_x: int
    tile_y: int


@dataclass
class Batch:
    """One force-month read from one source."""

    force: str
    force_name: str
    month: dt.date
    source: str
    synthetic: bool = False  # its rows say they are synthetic demo data
    tally: Tally = field(default_factory=Tally)
    counts: dict[SnapKey, list[int]] = field(default_factory=dict)
    snaps: dict[SnapKey, SnapInfo] = field(default_factory=dict)
    raw_counts: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    seen: bool = False


@dataclass
class FileResult:
    source: str
    batches: list[Batch]
    tally: Tally  # every row of the file, including rejected rows with no force-month
    problems: list[Problem]


_OUTSIDE = object()  # cache marker: the location is outside London
_NO_LOCATION = object()  # cache marker: the row has no coordinates
PROGRESS_EVERY = 4096


def _borough_codes_by_district() -> dict[str, str]:
    return {area.name.lower(): area.code for area in geography.boroughs()}


class StreetFileReader:
    """Reads street-level files. Keep one reader for a whole run: its caches of points,
    boroughs and months are shared across files (snap points repeat every month)."""

    def __init__(self, *, max_problems: int = 1000) -> None:
        self.max_problems = max_problems
        self._districts = _borough_codes_by_district()
        self._lsoa_borough: dict[str, str | None] = {}
        self._points: dict[tuple[str, str, str], object] = {}
        self._months: dict[str, dt.date | None] = {}
        self._forces: dict[str, tuple[str, str]] = {}
        self._types: dict[str, int] = {t.name: i for i, t in enumerate(CRIME_TYPES)}

    def read(
        self, source: Source, *, progress: Callable[[int, int], None] | None = None
    ) -> FileResult:
        """Read one source. ``progress(bytes_done, rows_done)`` is called every few
        thousand rows."""
        problems: list[Problem] = []
        orphans = Tally()  # rejected rows that belong to no force-month
        batches: dict[tuple[str, str], Batch] = {}
        with source.open() as (text, raw):
            reader = csv.reader(text)
            header = self._header(reader)
            if header is None:
                problems.append(Problem(source.name, 1, "the file is empty"))
                return FileResult(source.name, [], orphans, problems)
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            if missing:
                problems.append(
                    Problem(
                        source.name,
                        reader.line_num,
                        "not a police.uk street-level file: no column "
                        + ", ".join(repr(name) for name in missing),
                    )
                )
                return FileResult(source.name, [], orphans, problems)
            width = len(header)
            i_month = header.index("Month")
            i_force = header.index("Reported by")
            i_lon = header.index("Longitude")
            i_lat = header.index("Latitude")
            i_location = header.index("Location")
            i_type = header.index("Crime type")
            i_context = header.index("Context") if "Context" in header else None

            def reject(message: str, owner: Tally) -> None:
                owner.rejected += 1
                if len(problems) < self.max_problems:
                    problems.append(Problem(source.name, reader.line_num, message))

            types_get = self._types.get
            batch: Batch | None = None
            tally = orphans
            raw_counts: dict[tuple[str, str, str], list[int]] = {}
            current_month = current_force = None
            tick = PROGRESS_EVERY
            rows = 0

            # The hot loop: one dict lookup per row once a location has been seen.
            for row in reader:
                if len(row) != width:
                    if not row or not any(cell.strip() for cell in row):
                        continue  # a blank line
                    reject(f"expected {width} columns, found {len(row)}", orphans)
                    continue
                tick -= 1
                if not tick:
                    rows += PROGRESS_EVERY
                    tick = PROGRESS_EVERY
                    if progress is not None:
                        progress(raw.tell(), rows)
                if row[i_month] != current_month or row[i_force] != current_force:
                    batch = self._batch_for((row[i_month], row[i_force]), batches, source.name)
                    if batch is None:
                        current_month = current_force = None
                        if self._month(row[i_month]) is None:
                            reject(f"the month {row[i_month]!r} is not YYYY-MM", orphans)
                        else:
                            reject("the force ('Reported by') is blank", orphans)
                        continue
                    current_month, current_force = row[i_month], row[i_force]
                    tally, raw_counts = batch.tally, batch.raw_counts
                    if i_context is not None and not batch.seen:
                        batch.synthetic = row[i_context].startswith(SYNTHETIC_CONTEXT)
                    batch.seen = True
                type_index = types_get(row[i_type])
                if type_index is None:
                    type_index = self._type_index(row[i_type])
                    if type_index is None:
                        reject(f"unknown crime type {row[i_type]!r}", tally)
                        continue
                point_key = (row[i_lat], row[i_lon], row[i_location])
                counts = raw_counts.get(point_key)
                if counts is None:
                    snap = self._points.get(point_key)
                    if snap is None:
                        snap = self._points[point_key] = self._locate(row, header)
                    if snap is _NO_LOCATION:
                        tally.without_location += 1
                        continue
                    if snap is _OUTSIDE:
                        tally.outside_london += 1
                        continue
                    if isinstance(snap, str):
                        reject(snap, tally)
                        continue
                    counts = raw_counts[point_key] = [0] * NUMBER_OF_TYPES
                counts[type_index] += 1
            if progress is not None:
                progress(raw.tell(), rows + PROGRESS_EVERY - tick)
        for found in batches.values():
            self._finish(found)
        orphans.read = orphans.rejected
        file_tally = Tally()
        file_tally.add(orphans)
        for found in batches.values():
            file_tally.add(found.tally)
        return FileResult(source.name, list(batches.values()), file_tally, problems)

    def _finish(self, batch: Batch) -> None:
        """Merge the counts by raw location text into counts by snap point."""
        for point_key, raw in batch.raw_counts.items():
            snap_key, info = self._points[point_key]  # type: ignore[misc]
            counts = batch.counts.get(snap_key)
            if counts is None:
                batch.counts[snap_key] = raw
                batch.snaps[snap_key] = info
            else:  # the same point written two ways ("51.5" and "51.500000")
                for index, value in enumerate(raw):
                    counts[index] += value
        batch.raw_counts = {}
        tally = batch.tally
        tally.imported = sum(sum(counts) for counts in batch.counts.values())
        tally.read = tally.imported + tally.without_location + tally.outside_london
        tally.read += tally.rejected

    def _type_index(self, text: str) -> int | None:
        crime_type = crime_type_for(text)
        index = None if crime_type is None else CRIME_TYPES.index(crime_type)
        if index is not None:
            self._types[text] = index
        return index

    @staticmethod
    def _header(reader) -> list[str] | None:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                return [cell.strip() for cell in row]
        return None

    def _batch_for(
        self, key: tuple[str, str], batches: dict[tuple[str, str], Batch], source: str
    ) -> Batch | None:
        existing = batches.get(key)
        if existing is not None:
            return existing
        month_text, force_text = key
        month = self._month(month_text)
        force = self._forces.get(force_text)
        if force is None and force_text.strip():
            force = self._forces[force_text] = (slugify(force_text)[:80], force_text.strip())
        if month is None or force is None:
            return None
        batch = batches[key] = Batch(force[0], force[1], month, source)
        return batch

    def _month(self, text: str) -> dt.date | None:
        if text in self._months:
            return self._months[text]
        match = MONTH.match(text.strip())
        month = None
        if match and 1 <= int(match.group(2)) <= 12:
            month = dt.date(int(match.group(1)), int(match.group(2)), 1)
        self._months[text] = month
        return month

    def _locate(self, row: list[str], header: list[str]) -> object:
        """(snap key, info) for a row's location; _NO_LOCATION; _OUTSIDE; or a message
        saying what is wrong."""
        lat_text = row[header.index("Latitude")].strip()
        lon_text = row[header.index("Longitude")].strip()
        location = row[header.index("Location")]
        lsoa_code = row[header.index("LSOA code")]
        lsoa_name = row[header.index("LSOA name")]
        if not lat_text or not lon_text:
            return _NO_LOCATION
        try:
            latitude = round(float(lat_text), COORDINATE_DECIMALS)
            longitude = round(float(lon_text), COORDINATE_DECIMALS)
        except ValueError:
            return f"the coordinates ({lat_text!r}, {lon_text!r}) are not numbers"
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return f"the coordinates ({lat_text}, {lon_text}) are out of range"
        borough_code = self._borough_for(latitude, longitude, lsoa_name.strip())
        if borough_code is None:
            return _OUTSIDE
        tile_x, tile_y = grid.tile_xy(latitude, longitude)
        info = SnapInfo(lsoa_code.strip(), lsoa_name.strip(), borough_code, tile_x, tile_y)
        return (latitude, longitude, location.strip()[:255]), info

    def _borough_for(self, latitude: float, longitude: float, lsoa_name: str) -> str | None:
        """From the LSOA name ("Westminster 018C") when it names a district; else by the
        point's position. A district outside London means the row is outside London."""
        if lsoa_name:
            if lsoa_name not in self._lsoa_borough:
                match = LSOA_NAME.match(lsoa_name)
                if match is None:
                    self._lsoa_borough[lsoa_name] = None
                else:
                    # "" marks a well-formed name of a district outside London.
                    district = match.group("district").lower()
                    self._lsoa_borough[lsoa_name] = self._districts.get(district, "")
            code = self._lsoa_borough[lsoa_name]
            if code == "":
                return None
            if code is not None:
                return code
        return geography.borough_for(latitude, longitude)


def read_ahead(
    reader: StreetFileReader,
    sources: list[Source],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Source, FileResult]]:
    """Each source with its result, in order, reading the next file in a background
    thread while the caller stores the current one (the database does its part of the
    work outside Python's GIL, so the two overlap). Only the caller touches the
    database. ``progress(bytes_read, rows_read)`` covers all sources."""
    offsets = [sum(source.size for source in sources[:index]) for index in range(len(sources))]
    rows_done = [0]

    def read(index: int) -> FileResult:
        def report(position: int, rows: int) -> None:
            if progress is not None:
                progress(offsets[index] + position, rows_done[0] + rows)

        result = reader.read(sources[index], progress=report)
        rows_done[0] += result.tally.read
        return result

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policeuk-reader") as pool:
        pending = pool.submit(read, 0) if sources else None
        for index, source in enumerate(sources):
            assert pending is not None
            result = pending.result()
            pending = pool.submit(read, index + 1) if index + 1 < len(sources) else None
            yield source, result
