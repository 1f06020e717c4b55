"""Factories for the map's counts: tests build datasets, snap points and counts this way.

Counts are made as an import makes them: a snap point knows its tile at the finest grid,
and a count row names its dataset's month unless told otherwise.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from mapping import grid
from mapping.models import AreaMonth, CellMonth, Dataset, PointMonth, SnapPoint

MONTH = dt.date(2025, 1, 1)


class DatasetFactory(factory.django.DjangoModelFactory):
    force = "metropolitan"
    force_name = "Metropolitan Police Service"
    month = MONTH
    synthetic = False
    source = factory.LazyAttribute(lambda d: f"{d.month:%Y-%m}-{d.force}-street.csv")
    imported_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Dataset
        django_get_or_create = ("force", "month", "synthetic")


class SnapPointFactory(factory.django.DjangoModelFactory):
    latitude = factory.Sequence(lambda n: 51.5450 + (n % 50) * 0.0005)
    longitude = factory.Sequence(lambda n: -0.0553 + (n // 50) * 0.0005)
    location = factory.Sequence(lambda n: f"On or near Test Street {n}")
    lsoa_code = "E01001234"
    lsoa_name = "Hackney 001A"
    borough_code = "E09000012"
    ward_code = ""
    tile_x = factory.LazyAttribute(lambda s: grid.tile_xy(s.latitude, s.longitude)[0])
    tile_y = factory.LazyAttribute(lambda s: grid.tile_xy(s.latitude, s.longitude)[1])

    class Meta:
        model = SnapPoint


class PointMonthFactory(factory.django.DjangoModelFactory):
    dataset = factory.SubFactory(DatasetFactory)
    snap = factory.SubFactory(SnapPointFactory)
    month = factory.LazyAttribute(lambda p: p.dataset.month)
    asb = 1
    total = factory.LazyAttribute(lambda p: p.asb)

    class Meta:
        model = PointMonth


class CellMonthFactory(factory.django.DjangoModelFactory):
    """A grid cell's counts; by default the cell of a point in Hackney at the finest grid."""

    class Params:
        latitude = 51.545
        longitude = -0.0553

    dataset = factory.SubFactory(DatasetFactory)
    zoom = grid.BASE_TILE_ZOOM
    x = factory.LazyAttribute(lambda c: grid.tile_xy(c.latitude, c.longitude, c.zoom)[0])
    y = factory.LazyAttribute(lambda c: grid.tile_xy(c.latitude, c.longitude, c.zoom)[1])
    month = factory.LazyAttribute(lambda c: c.dataset.month)
    asb = 1
    total = factory.LazyAttribute(lambda c: c.asb)
    latitude_sum = factory.LazyAttribute(lambda c: c.latitude * c.total)
    longitude_sum = factory.LazyAttribute(lambda c: c.longitude * c.total)

    class Meta:
        model = CellMonth


class AreaMonthFactory(factory.django.DjangoModelFactory):
    dataset = factory.SubFactory(DatasetFactory)
    kind = AreaMonth.BOROUGH
    code = "E09000012"
    month = factory.LazyAttribute(lambda a: a.dataset.month)
    asb = 1
    total = factory.LazyAttribute(lambda a: a.asb)

    class Meta:
        model = AreaMonth
