"""Counts of street-level crime and ASB from police.uk, stored ready for the map.

The map only ever needs counts, so nothing is stored per crime. Every imported
force-month is a ``Dataset``; its rows are counted per snap point and month
(``PointMonth``), and from those, inside the same transaction, per map grid cell
(``CellMonth``, one grid per zoom level) and per borough and neighbourhood
(``AreaMonth``). Each count table has one column per police.uk crime type (see
``mapping.categories``), so a query over any selection of types reads one row per
place and month.
"""

from __future__ import annotations

from django.db import models


class Counts(models.Model):
    """One count column per crime type, plus their total."""

    total = models.PositiveIntegerField(default=0)
    asb = models.PositiveIntegerField("anti-social behaviour", default=0)
    bicycle_theft = models.PositiveIntegerField(default=0)
    burglary = models.PositiveIntegerField(default=0)
    criminal_damage = models.PositiveIntegerField("criminal damage and arson", default=0)
    drugs = models.PositiveIntegerField(default=0)
    other_theft = models.PositiveIntegerField(default=0)
    weapons = models.PositiveIntegerField("possession of weapons", default=0)
    public_order = models.PositiveIntegerField(default=0)
    robbery = models.PositiveIntegerField(default=0)
    shoplifting = models.PositiveIntegerField(default=0)
    theft_from_person = models.PositiveIntegerField("theft from the person", default=0)
    vehicle_crime = models.PositiveIntegerField(default=0)
    violence = models.PositiveIntegerField("violence and sexual offences", default=0)
    other_crime = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Dataset(models.Model):
    """One force's month of street-level data from one kind of source (real or synthetic).

    Re-importing the same force, month and kind replaces this row and all its counts.
    """

    force = models.SlugField(max_length=80, help_text="Slug of the force that reported the rows.")
    force_name = models.CharField(max_length=120)
    month = models.DateField(help_text="First day of the month the rows are for.")
    synthetic = models.BooleanField(
        default=False, help_text="Generated demo data, not real crimes."
    )
    source = models.CharField(max_length=255, help_text="File (or archive member) imported.")
    imported_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_without_location = models.PositiveIntegerField(default=0)
    rows_outside_london = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "force"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "month", "synthetic"], name="mapping_dataset_force_month"
            )
        ]
        indexes = [models.Index(fields=["month"], name="mapping_dataset_month")]

    def __str__(self) -> str:
        kind = " (synthetic)" if self.synthetic else ""
        return f"{self.force_name} {self.month:%Y-%m}{kind}"


class SnapPoint(models.Model):
    """A police.uk anonymised location ("On or near ..."), shared by every month."""

    latitude = models.FloatField()
    longitude = models.FloatField()
    location = models.CharField(max_length=255)
    lsoa_code = models.CharField(max_length=12, blank=True)
    lsoa_name = models.CharField(max_length=120, blank=True)
    borough_code = models.CharField(max_length=9)
    ward_code = models.CharField(max_length=12, blank=True, help_text="Neighbourhood, where known.")
    tile_x = models.IntegerField(help_text="Web Mercator tile column at the finest cell zoom.")
    tile_y = models.IntegerField(help_text="Web Mercator tile row at the finest cell zoom.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["latitude", "longitude", "location"], name="mapping_snappoint_unique"
            )
        ]
        # The unique constraint's index (latitude first) also serves bbox queries. These
        # are plain indexes: db_index=True would add a second, for LIKE, on PostgreSQL.
        indexes = [
            models.Index(fields=["borough_code"], name="mapping_snap_borough"),
            models.Index(fields=["ward_code"], name="mapping_snap_ward"),
        ]

    def __str__(self) -> str:
        return self.location


class PointMonth(Counts):
    """Counts at one snap point in one month of one dataset."""

    # This is the one large table, written only by an import (mapping.services), which
    # inserts a dataset's rows in the transaction that creates the dataset, with ids of
    # snap points it has just read or made. Checking two foreign keys per row in the
    # database doubled the cost of an import, so there are no database constraints.
    # Rows are only looked up by dataset when a force-month is imported again (a scan
    # then is cheaper than keeping an index up to date on every import).
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    # Snap points are never deleted, so no index is needed for the foreign key.
    snap = models.ForeignKey(
        SnapPoint, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()

    class Meta:
        indexes = [
            # The only index: a street view and hot streets find their snap points first
            # (by position, borough or neighbourhood), then read this; with the total in
            # it, ranking locations for every crime type reads no table rows.
            models.Index(fields=["snap", "month", "total"], name="mapping_point_snap_total"),
        ]

    def __str__(self) -> str:
        return f"{self.snap_id} {self.month:%Y-%m}: {self.total}"


class CellMonth(Counts):
    """Counts in one map grid cell (the tile x, y at ``zoom``) in one month of one dataset."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    month = models.DateField()
    latitude_sum = models.FloatField(help_text="Sum of latitude x total, for the centroid.")
    longitude_sum = models.FloatField(help_text="Sum of longitude x total, for the centroid.")

    class Meta:
        indexes = [
            models.Index(fields=["zoom", "x", "y", "month"], name="mapping_cell_zxy"),
        ]

    def __str__(self) -> str:
        return f"{self.zoom}/{self.x}/{self.y} {self.month:%Y-%m}: {self.total}"


class AreaMonth(Counts):
    """Counts in one borough or neighbourhood (ward) in one month of one dataset."""

    BOROUGH = "borough"
    WARD = "ward"
    KIND_CHOICES = [(BOROUGH, "Borough"), (WARD, "Neighbourhood")]

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=KIND_CHOICES)
    code = models.CharField(max_length=12)
    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "code", "month"], name="mapping_area_code"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} {self.month:%Y-%m}: {self.total}"
