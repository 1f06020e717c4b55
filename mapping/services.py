"""Writes of map data: storing an imported force-month, tagging neighbourhoods.

Each public function is one transaction. The reader has already added up a batch's
counts per snap point, grid cell and borough: they are written in bulk
(``mapping.bulk_insert``). Only the per-neighbourhood counts are summed by the database
from the stored points (INSERT ... SELECT ... GROUP BY, portable to SQLite and
PostgreSQL), since a point's neighbourhood is known only once it is stored.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import compress, repeat

from django.db import connection, models, transaction
from django.utils import timezone

from mapping.bulk_insert import Same, insert_columns, insert_rows
from mapping.categories import FIELDS
from mapping.importer import Batch, SnapInfo, SnapKey
from mapping.models import AreaMonth, CellMonth, Dataset, PointMonth, SnapPoint

SQLITE_IMPORT_CACHE_KB = 256 * 1024
WardLookup = Callable[[float, float, str], str]  # (latitude, longitude, borough) -> ward


def ward_code_for_point(latitude: float, longitude: float, borough_code: str) -> str:
    """The ward code of the live neighbourhood page for the point, or "". A page under
    another borough is not taken: a location counts in the borough its LSOA names."""
    from standards import selectors

    page = selectors.neighbourhood_page_for_point(latitude, longitude)
    if page is None or not getattr(page, "ward_code", ""):
        return ""
    if _borough_of_page(page.pk) != borough_code:
        return ""
    return page.ward_code


@lru_cache(maxsize=4096)
def _borough_of_page(page_id: int) -> str:
    from wagtail.models import Page

    parent = Page.objects.get(pk=page_id).get_parent()
    return getattr(parent.specific, "ons_code", "") if parent is not None else ""


def _any_neighbourhoods() -> bool:
    from standards import selectors

    areas = getattr(selectors, "neighbourhood_areas", None)
    return areas is None or bool(areas())


class SnapIndex:
    """Snap point ids by (latitude, longitude, location), loaded once per import run,
    and what is known of the points a run has read (their LSOA, borough and tile)."""

    def __init__(self, *, ward_lookup: WardLookup = ward_code_for_point) -> None:
        self.ward_lookup = ward_lookup
        self._ids: dict[SnapKey, int] | None = None
        self._infos: dict[SnapKey, SnapInfo] = {}
        self._any_wards: bool | None = None

    def ids(self) -> dict[SnapKey, int]:
        if self._ids is None:
            self._ids = dict(self._fetch(0))
        return self._ids

    def reset(self) -> None:
        self._ids = None
        self._any_wards = None

    def any_wards(self) -> bool:
        """Whether any snap point is in a neighbourhood (asked once a run)."""
        if self._any_wards is None:
            self._any_wards = SnapPoint.objects.exclude(ward_code="").exists()
        return self._any_wards

    def ensure(self, keys: list[SnapKey], infos: dict[SnapKey, SnapInfo]) -> list[int]:
        """Create the snap points not yet stored (``infos`` tells of those this run has
        not handed over before); return the ids of all of them, in order."""
        self._infos.update(infos)
        ids = self.ids()
        found = list(map(ids.get, keys))
        if None not in found:
            return found
        missing = list(compress(keys, map(operator.is_, found, repeat(None))))
        # Looking up neighbourhoods costs a little per point: skip it when none exist.
        ward_lookup = self.ward_lookup
        _borough_of_page.cache_clear()  # pages may have moved since the last import
        if ward_lookup is ward_code_for_point and not _any_neighbourhoods():

            def ward_lookup(latitude: float, longitude: float, borough_code: str) -> str:
                return ""

        before = SnapPoint.objects.aggregate(top=models.Max("pk"))["top"] or 0
        columns = [
            "latitude",
            "longitude",
            "location",
            "lsoa_code",
            "lsoa_name",
            "borough_code",
            "ward_code",
            "tile_x",
            "tile_y",
        ]
        rows = [
            (
                lat,
                lon,
                location,
                info.lsoa_code[:12],
                info.lsoa_name[:120],
                info.borough_code,
                ward_lookup(lat, lon, info.borough_code)[:12],
                info.tile_x,
                info.tile_y,
            )
            for (lat, lon, location), info in zip(
                missing, map(self._infos.__getitem__, missing), strict=True
            )
        ]
        if any(row[6] for row in rows):
            self._any_wards = True
        insert_rows(SnapPoint, columns, rows)
        ids.update(self._fetch(before))
        return list(map(ids.__getitem__, keys))

    @staticmethod
    def _fetch(after: int) -> Iterator[tuple[SnapKey, int]]:
        """(key, id) of the snap points with ids above ``after``."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT latitude, longitude, location, id FROM "  # noqa: S608
                f"{quote(SnapPoint._meta.db_table)} WHERE id > %s",
                [after],
            )
            for latitude, longitude, location, pk in cursor.fetchall():
                yield (latitude, longitude, location), pk


def replace_dataset(*, batch: Batch, synthetic: bool, snap_index: SnapIndex) -> Dataset:
    """Store a force-month, replacing what an earlier import of it stored."""
    if connection.vendor == "sqlite":
        # Index upkeep on the large count table is the cost of an import: give SQLite a
        # page cache big enough to hold those indexes (this connection only).
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KB)}")
    try:
        with transaction.atomic():
            snap_ids = snap_index.ensure(batch.point_keys, batch.new_snaps)
            Dataset.objects.filter(
                force=batch.force, month=batch.month, synthetic=synthetic
            ).delete()
            tally = batch.tally
            dataset = Dataset.objects.create(
                force=batch.force,
                force_name=batch.force_name[:120],
                month=batch.month,
                synthetic=synthetic,
                source=batch.source[-255:],
                imported_at=timezone.now(),
                rows_read=tally.read,
                rows_imported=tally.imported,
                rows_without_location=tally.without_location,
                rows_outside_london=tally.outside_london,
                rows_rejected=tally.rejected,
            )
            _insert_points(dataset, batch, snap_ids)
            _summarise(dataset, batch, wards=snap_index.any_wards())
    except Exception:
        snap_index.reset()  # ids created in the rolled-back transaction are gone
        raise
    return dataset


def refresh_statistics() -> None:
    """After a bulk import: refresh the query planner's statistics (and, on PostgreSQL,
    the visibility map that lets index-only scans skip the table: hot streets then read
    no table rows). Import transactions commit synchronously for this: VACUUM cannot
    mark rows visible to all while their commit is not yet on disk."""
    tables = [model._meta.db_table for model in (PointMonth, CellMonth, AreaMonth, SnapPoint)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.get_autocommit():
            quote = connection.ops.quote_name
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(quote(t) for t in tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def retag_neighbourhoods(*, ward_lookup: WardLookup = ward_code_for_point) -> int:
    """Look up every snap point's neighbourhood again (after neighbourhood pages are
    published or moved) and rebuild the per-neighbourhood counts. Returns how many snap
    points changed."""
    changed = []
    with transaction.atomic():
        _borough_of_page.cache_clear()
        points = SnapPoint.objects.only("pk", "latitude", "longitude", "borough_code", "ward_code")
        for point in points:
            ward_code = ward_lookup(point.latitude, point.longitude, point.borough_code)[:12]
            if ward_code != point.ward_code:
                point.ward_code = ward_code
                changed.append(point)
        SnapPoint.objects.bulk_update(changed, ["ward_code"], batch_size=2000)
        if changed:
            AreaMonth.objects.filter(kind=AreaMonth.WARD).delete()
            for dataset_id in Dataset.objects.values_list("pk", flat=True):
                _summarise_wards(dataset_id)
    return len(changed)


def _insert_points(dataset: Dataset, batch: Batch, snap_ids: list[int]) -> None:
    """One row per snap point, from the batch's columns (``snap_ids`` parallel to them)."""
    # In the order of the table's index (snap, month): each row goes in beside the one
    # before it in the index (a quarter less work for PostgreSQL than in any order).
    order = sorted(range(len(snap_ids)), key=snap_ids.__getitem__)
    insert_columns(
        PointMonth,
        ["dataset_id", "snap_id", "month", *FIELDS, "total"],
        [
            Same(dataset.pk),
            list(map(snap_ids.__getitem__, order)),
            Same(batch.month),
            *(list(map(column.__getitem__, order)) for column in batch.point_columns),
        ],
    )


def _sums(prefix: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"SUM({prefix}{quote(name)})" for name in ("total", *FIELDS))


def _count_columns() -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(name) for name in ("total", *FIELDS))


def _summarise(dataset: Dataset, batch: Batch, *, wards: bool) -> None:
    """Insert the batch's sums per grid cell and per borough (the reader made them), then
    sum the neighbourhoods' from the stored points."""
    if batch.cells:
        zooms, xs, ys = map(list, zip(*batch.cells, strict=True))
        # Counts by type, the total, then the latitude and longitude sums.
        sums = list(map(list, zip(*batch.cells.values(), strict=True)))
        insert_columns(
            CellMonth,
            ["dataset_id", "zoom", "x", "y", "month", *FIELDS, "total"]
            + ["latitude_sum", "longitude_sum"],
            [Same(dataset.pk), zooms, xs, ys, Same(batch.month), *sums],
        )
    if batch.boroughs:
        insert_columns(
            AreaMonth,
            ["dataset_id", "kind", "code", "month", *FIELDS, "total"],
            [
                Same(dataset.pk),
                Same(AreaMonth.BOROUGH),
                list(batch.boroughs),
                Same(batch.month),
                *map(list, zip(*batch.boroughs.values(), strict=True)),
            ],
        )
    if wards:
        _summarise_wards(dataset.pk)


def _summarise_wards(dataset_id: int) -> None:
    quote = connection.ops.quote_name
    points = quote(PointMonth._meta.db_table)
    snaps = quote(SnapPoint._meta.db_table)
    areas = quote(AreaMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {areas} (dataset_id, kind, code, month, {_count_columns()}) "  # noqa: S608
            f"SELECT p.dataset_id, %s, s.ward_code, p.month, {_sums('p.')} "
            f"FROM {points} p JOIN {snaps} s ON s.id = p.snap_id "
            f"WHERE p.dataset_id = %s AND s.ward_code <> '' "
            f"GROUP BY p.dataset_id, s.ward_code, p.month",
            [AreaMonth.WARD, dataset_id],
        )
