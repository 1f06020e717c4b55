"""Reading police.uk street-level CSV into counts per force-month and snap point.

``StreetFileReader.read(source)`` streams one file and returns a ``Batch`` per (force,
month) found in it: counts per snap point and crime type, their sums per map grid cell
and per borough, and a ``Tally`` of what happened to the rows. Memory is bounded by the
number of distinct locations, never by the number of rows. Nothing here writes to the
database: ``mapping.services.replace_dataset`` stores a batch.

Tolerated quirks of real files: a byte-order mark, blank lines, rows with no location
(counted, not imported), rows outside London (counted, not imported), older crime type
names (see ``mapping.categories``). A row that cannot be read (too few columns for those
read, an unparseable month or coordinate, an unknown crime type) is reported with its
file and line number and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, count, repeat
from operator import itemgetter
from typing import NamedTuple

from django.utils.text import slugify

from geography import boundaries
from mapping import grid, rows
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


class SnapInfo(NamedTuple):  # a tuple: quick to make, and to send between processes
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
    # One stored row per snap point: the points, and their counts as columns (one per
    # crime type in ``CRIME_TYPES`` order, then the total), each parallel to point_keys.
    point_keys: list[SnapKey] = field(default_factory=list)
    point_columns: list[list[int]] = field(default_factory=list)
    # Snap points this reader had not handed out before (the rest were in earlier batches).
    new_snaps: dict[SnapKey, SnapInfo] = field(default_factory=dict)
    boroughs: dict[str, list[int]] = field(default_factory=dict)  # code -> counts, total
    # (zoom, x, y) -> counts, total, latitude x total, longitude x total
    cells: dict[tuple[int, int, int], list[float]] = field(default_factory=dict)
    seen: bool = False


@dataclass
class FileResult:
    source: str
    batches: list[Batch]
    tally: Tally  # every row of the file, including rejected rows with no force-month
    problems: list[Problem]


# What a location (its coordinate and location texts) is, besides a snap point's number:
NO_LOCATION = -1  # the row has no coordinates
OUTSIDE = -2  # the location is outside London
UNREADABLE = -3  # the coordinates cannot be read (the reader keeps the message)
PROGRESS_EVERY = 4096


def _borough_codes_by_district() -> dict[str, str]:
    return {area.name.lower(): area.code for area in boundaries.boroughs()}


@dataclass(frozen=True)
class Columns:
    """Where the columns the importer reads are, found from a file's header."""

    width: int  # columns in the header
    month: int
    force: int
    longitude: int
    latitude: int
    location: int
    lsoa_code: int
    lsoa_name: int
    crime_type: int
    context: int | None  # police.uk's "Context" column, where synthetic rows say so

    @classmethod
    def from_header(cls, header: list[str]) -> Columns:
        return cls(
            width=len(header),
            month=header.index("Month"),
            force=header.index("Reported by"),
            longitude=header.index("Longitude"),
            latitude=header.index("Latitude"),
            location=header.index("Location"),
            lsoa_code=header.index("LSOA code"),
            lsoa_name=header.index("LSOA name"),
            crime_type=header.index("Crime type"),
            context=header.index("Context") if "Context" in header else None,
        )

    @property
    def needed(self) -> int:
        """How many cells a row must have to hold every column read. Cells after those
        (outcome, context) are not read, so a row with more or fewer of them is kept."""
        return max(self.month, self.force, self.longitude, self.latitude, self.location,
                   self.lsoa_code, self.lsoa_name, self.crime_type) + 1  # fmt: skip

    def key(self) -> Callable[[list[str]], RowKey]:
        """A C-level getter of a row's key: everything about a row that is counted."""
        return itemgetter(
            self.month,
            self.force,
            self.latitude,
            self.longitude,
            self.location,
            self.lsoa_code,
            self.lsoa_name,
            self.crime_type,
        )

    def is_synthetic(self, row: list[str]) -> bool:
        return (
            self.context is not None
            and len(row) > self.context
            and row[self.context].startswith(SYNTHETIC_CONTEXT)
        )


# month, force, latitude, longitude, location, LSOA code, LSOA name, crime type (as text)
RowKey = tuple[str, str, str, str, str, str, str, str]
_FORCE_MONTH = itemgetter(0, 1)
_POINT_TEXTS = itemgetter(2, 3, 4)  # latitude, longitude, location
_TYPE_TEXT = itemgetter(7)


class StreetFileReader:
    """Reads street-level files. Keep one reader for a whole run: its caches of points,
    boroughs and months are shared across files (snap points repeat every month).

    Each file is first read the fast way: rows (split as ``mapping.rows`` says) are
    counted by their key (month, force, location, crime type) entirely inside C
    iterators, and each distinct key, about two thirds of the rows, is then looked at
    once in Python. If that meets anything to
    report with a line number (a bad row) or a file holding more than one force-month,
    the file is read again row by row, which gives the same result with the line
    numbers."""

    def __init__(self, *, max_problems: int = 1000) -> None:
        self.max_problems = max_problems
        self._districts = _borough_codes_by_district()
        self._lsoa_borough: dict[str, str | None] = {}
        # Location texts -> snap point number (an index into the lists below) or one of
        # NO_LOCATION, OUTSIDE, UNREADABLE. Texts that round to the same point share it.
        self._points: dict[tuple[str, str, str], int] = {}
        self._unreadable: dict[tuple[str, str, str], str] = {}
        self._snap_numbers: dict[SnapKey, int] = {}
        self._snap_keys: list[SnapKey] = []
        self._snap_infos: list[SnapInfo] = []
        self._tile_of: list[int] = []  # snap point number -> tile number
        self._borough_of: list[int] = []  # snap point number -> borough number
        self._tile_numbers: dict[tuple[int, int], int] = {}
        self._borough_numbers: dict[str, int] = {}
        self._handed_out: set[int] = set()
        self._months: dict[str, dt.date | None] = {}
        self._texts: dict[str, str] = {}  # LSOA code or name as read -> shared stripped copy
        self._forces: dict[str, tuple[str, str]] = {}
        self._types: dict[str, int] = {t.name: i for i, t in enumerate(CRIME_TYPES)}

    def read(
        self, source: Source, *, progress: Callable[[int, int], None] | None = None
    ) -> FileResult:
        """Read one source. ``progress(bytes_done, rows_done)`` is called every few
        thousand rows."""
        counted = self.read_counted(source, progress=progress)
        if counted is not None:
            return counted
        return self.read_row_by_row(source, progress=progress)

    def read_counted(
        self, source: Source, *, progress: Callable[[int, int], None] | None = None
    ) -> FileResult | None:
        """The fast way, or None when the file must be read row by row."""
        counted: Counter[RowKey] = Counter()
        synthetic = False
        with source.open() as (text, raw):
            header = rows.header(text)
            if header is None or _missing_columns(header):
                return None
            columns = Columns.from_header(header)
            key_of = columns.key()
            lines = 0
            for chunk, chunk_lines in rows.row_chunks(text):
                if not counted:  # the first row says whether the file is synthetic
                    chunk = iter(chunk)
                    first = next(chunk, None)
                    if first is None:
                        continue
                    if len(first) < columns.needed:
                        return None
                    synthetic = columns.is_synthetic(first)
                    counted[key_of(first)] += 1
                try:
                    counted.update(map(key_of, chunk))
                except IndexError:  # a row too short for the columns read: report it
                    return None
                lines += chunk_lines
                if progress is not None:
                    progress(raw.tell(), lines)
        if not counted:
            return None
        force_months = set(map(_FORCE_MONTH, counted))
        if len(force_months) != 1:
            return None
        batch = self._batch_for(force_months.pop(), {}, source.name)
        if batch is None or not self._fill(batch, counted):
            return None
        batch.synthetic = synthetic
        return FileResult(source.name, [batch], batch.tally, [])

    def _fill(self, batch: Batch, counted: Counter[RowKey]) -> bool:
        """Fill the batch from its rows counted by key. False (and the batch unusable)
        when a row needs reporting: an unknown crime type or unreadable coordinates.

        Each distinct key (about two thirds of the rows) is turned into a snap point
        number and a crime type number by C-level ``map`` over dictionaries; Python code
        runs once per new location or type text, and the counts are added up per snap
        point, map tile and borough by three two-line loops over flat lists."""
        keys = list(counted)
        numbers = list(counted.values())
        texts = list(map(_POINT_TEXTS, keys))
        points = list(map(self._points.get, texts))
        if None in points:
            for index in _indexes_of(None, points):
                found = self._points.get(texts[index])  # an earlier key may have added it
                if found is None:  # a new location: located by its first row's LSOA
                    _m, _f, _lat, _lon, _loc, lsoa_code, lsoa_name, _t = keys[index]
                    found = self._point(texts[index], lsoa_code, lsoa_name)
                points[index] = found
        types = list(map(self._types.get, map(_TYPE_TEXT, keys)))
        if None in types:
            for index in _indexes_of(None, types):
                types[index] = self._type_index(keys[index][7])
                if types[index] is None:
                    return False
        tally = batch.tally
        if min(points, default=0) < 0:  # rows with no location, outside London, unreadable
            if UNREADABLE in points:
                return False
            tally.without_location += sum(compress(numbers, map(NO_LOCATION.__eq__, points)))
            tally.outside_london += sum(compress(numbers, map(OUTSIDE.__eq__, points)))
            located = list(map(operator.le, repeat(0), points))
            points = list(compress(points, located))
            types = list(compress(types, located))
            numbers = list(compress(numbers, located))

        used, point_columns = _add_up(points, types, numbers)
        point_totals = point_columns[-1]
        batch.point_keys = list(map(self._snap_keys.__getitem__, used))
        batch.point_columns = point_columns
        new = set(used).difference(self._handed_out)
        self._handed_out.update(new)
        batch.new_snaps = {self._snap_keys[point]: self._snap_infos[point] for point in new}

        boroughs = list(self._borough_numbers)
        used_boroughs, borough_columns = _add_up(
            list(map(self._borough_of.__getitem__, points)), types, numbers
        )
        batch.boroughs = dict(
            zip(
                map(boroughs.__getitem__, used_boroughs),
                map(list, zip(*borough_columns, strict=True)),
                strict=True,
            )
        )

        tiles = list(self._tile_numbers)
        used_tiles, tile_columns = _add_up(
            list(map(self._tile_of.__getitem__, points)), types, numbers
        )
        # Each tile's latitude and longitude sums, weighted by its points' totals.
        tile_position = dict(zip(used_tiles, count()))
        latitude_sums = [0.0] * len(used_tiles)
        longitude_sums = [0.0] * len(used_tiles)
        point_tiles = map(tile_position.__getitem__, map(self._tile_of.__getitem__, used))
        for (latitude, longitude, _location), tile, point_total in zip(
            batch.point_keys, point_tiles, point_totals, strict=True
        ):
            latitude_sums[tile] += latitude * point_total
            longitude_sums[tile] += longitude * point_total
        tile_columns += [latitude_sums, longitude_sums]
        batch.cells = grid_sums(
            dict(
                zip(
                    map(tiles.__getitem__, used_tiles),
                    map(list, zip(*tile_columns, strict=True)),
                    strict=True,
                )
            )
        )
        tally.imported += sum(point_totals)
        tally.read = tally.imported + tally.without_location + tally.outside_london
        tally.read += tally.rejected
        return True

    def read_row_by_row(
        self, source: Source, *, progress: Callable[[int, int], None] | None = None
    ) -> FileResult:
        """The careful way: every row in turn, each bad one reported with its line."""
        problems: list[Problem] = []
        orphans = Tally()  # rejected rows that belong to no force-month
        batches: dict[tuple[str, str], Batch] = {}
        counted_by_batch: dict[int, Counter[RowKey]] = {}
        with source.open() as (text, raw):
            reader = csv.reader(text)
            header = self._header(reader)
            if header is None:
                problems.append(Problem(source.name, 1, "the file is empty"))
                return FileResult(source.name, [], orphans, problems)
            missing = _missing_columns(header)
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
            columns = Columns.from_header(header)
            key_of = columns.key()
            width, needed = columns.width, columns.needed

            def reject(row: list[str], message: str, owner: Tally) -> None:
                owner.rejected += 1
                if len(row) != width:  # the likelier cause: say so
                    message = f"expected {width} columns, found {len(row)}"
                if len(problems) < self.max_problems:
                    problems.append(Problem(source.name, reader.line_num, message))

            batch: Batch | None = None
            counted: Counter[RowKey] = Counter()
            current = None
            rows_read = 0
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                rows_read += 1
                if progress is not None and not rows_read % PROGRESS_EVERY:
                    progress(raw.tell(), rows_read)
                if len(row) < needed:
                    reject(row, "", orphans)
                    continue
                key = key_of(row)
                month_text, force_text, lat, lon, location, lsoa_code, lsoa_name, type_text = key
                if current != (month_text, force_text):
                    batch = self._batch_for((month_text, force_text), batches, source.name)
                    if batch is None:
                        current = None
                        if self._month(month_text) is None:
                            reject(row, f"the month {month_text!r} is not YYYY-MM", orphans)
                        else:
                            reject(row, "the force ('Reported by') is blank", orphans)
                        continue
                    current = (month_text, force_text)
                    counted = counted_by_batch.setdefault(id(batch), Counter())
                    if not batch.seen:
                        batch.synthetic = columns.is_synthetic(row)
                        batch.seen = True
                assert batch is not None
                if type_text not in self._types and self._type_index(type_text) is None:
                    reject(row, f"unknown crime type {type_text!r}", batch.tally)
                    continue
                point = (lat, lon, location)
                number = self._points.get(point)
                if number is None:
                    number = self._point(point, lsoa_code, lsoa_name)
                if number == UNREADABLE:
                    reject(row, self._unreadable[point], batch.tally)
                    continue
                counted[key] += 1
            if progress is not None:
                progress(raw.tell(), rows_read)
        for found in batches.values():
            filled = self._fill(found, counted_by_batch[id(found)])
            assert filled, "every row counted was checked"
        orphans.read = orphans.rejected
        file_tally = Tally()
        file_tally.add(orphans)
        for found in batches.values():
            file_tally.add(found.tally)
        return FileResult(source.name, list(batches.values()), file_tally, problems)

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

    def _point(self, texts: tuple[str, str, str], lsoa_code: str, lsoa_name: str) -> int:
        """Locate a location (latitude, longitude and location texts) and remember it:
        its snap point number, or NO_LOCATION, OUTSIDE or UNREADABLE."""
        found = self._locate(*texts, lsoa_code, lsoa_name)
        if isinstance(found, int):
            number = found
        elif isinstance(found, str):
            number = UNREADABLE
            self._unreadable[texts] = found
        else:
            key, info = found
            number = self._snap_numbers.get(key)
            if number is None:  # the same point may be written two ways: "51.5", "51.50"
                number = self._snap_numbers[key] = len(self._snap_keys)
                self._snap_keys.append(key)
                self._snap_infos.append(info)
                tile = (info.tile_x, info.tile_y)
                tiles, boroughs = self._tile_numbers, self._borough_numbers
                self._tile_of.append(tiles.setdefault(tile, len(tiles)))
                self._borough_of.append(boroughs.setdefault(info.borough_code, len(boroughs)))
        self._points[texts] = number
        return number

    def _locate(
        self, lat_text: str, lon_text: str, location: str, lsoa_code: str, lsoa_name: str
    ) -> tuple[SnapKey, SnapInfo] | int | str:
        """(snap key, info) for a row's location; NO_LOCATION; OUTSIDE; or a message
        saying what is wrong."""
        lat_text, lon_text = lat_text.strip(), lon_text.strip()
        if not lat_text or not lon_text:
            return NO_LOCATION
        try:
            latitude = round(float(lat_text), COORDINATE_DECIMALS)
            longitude = round(float(lon_text), COORDINATE_DECIMALS)
        except ValueError:
            return f"the coordinates ({lat_text!r}, {lon_text!r}) are not numbers"
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return f"the coordinates ({lat_text}, {lon_text}) are out of range"
        borough_code = self._borough_for(latitude, longitude, lsoa_name.strip())
        if borough_code is None:
            return OUTSIDE
        tile_x, tile_y = grid.tile_xy(latitude, longitude)
        # One string object per LSOA, so a batch sends each LSOA's texts once.
        lsoa_code = self._texts.setdefault(lsoa_code, lsoa_code.strip())
        lsoa_name = self._texts.setdefault(lsoa_name, lsoa_name.strip())
        info = SnapInfo(lsoa_code, lsoa_name, borough_code, tile_x, tile_y)
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
        return boundaries.borough_for(latitude, longitude)


def _indexes_of(value: object, items: list) -> list[int]:
    """Where ``value`` is in ``items``."""
    return list(compress(count(), map(operator.is_, items, repeat(value))))


def _add_up(
    rows: list[int], types: list[int], numbers: list[int]
) -> tuple[list[int], list[list[int]]]:
    """``numbers`` added up by row (a snap point, tile or borough number) and crime type:
    the rows found, in order, and the sums as columns parallel to them, one per crime
    type, then their total."""
    width = NUMBER_OF_TYPES
    used = sorted(set(rows))
    position = dict(zip(used, count()))
    flat = [0] * (len(used) * width)  # row r, type t at r * width + t
    indexes = map(
        operator.add, map(operator.mul, map(position.__getitem__, rows), repeat(width)), types
    )
    for index, number in zip(indexes, numbers, strict=True):
        flat[index] += number
    columns = [flat[t::width] for t in range(width)]
    columns.append(list(map(sum, zip(*columns, strict=True))))
    return used, columns


def _missing_columns(header: list[str]) -> list[str]:
    return [name for name in REQUIRED_COLUMNS if name not in header]


def grid_sums(
    base: dict[tuple[int, int], list[float]],
) -> dict[tuple[int, int, int], list[float]]:
    """Sums per cell of every grid, (zoom, x, y) -> values, from the sums per tile of
    the finest grid (``grid.BASE_TILE_ZOOM``). Each coarser grid is summed from the
    next finer one."""
    zoom = grid.BASE_TILE_ZOOM
    level = base
    cells = {(zoom, x, y): values for (x, y), values in level.items()}
    for coarser in sorted(grid.CELL_TILE_ZOOMS[:-1], reverse=True):
        shift = zoom - coarser
        grouped: dict[tuple[int, int], list] = defaultdict(list)
        for (x, y), values in level.items():
            grouped[(x >> shift, y >> shift)].append(values)
        level = {xy: _column_sums(rows) for xy, rows in grouped.items()}
        cells.update(((coarser, x, y), values) for (x, y), values in level.items())
        zoom = coarser
    return cells


def _column_sums(rows: list) -> list:
    if len(rows) == 1:
        return list(rows[0])
    return [sum(column) for column in zip(*rows, strict=True)]
