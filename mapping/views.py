"""Map pages and the map data API. Views validate and delegate to selectors."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from mapping import api, grid, selectors
from mapping.forms import AreaForm, FilterForm, HotStreetsForm, MapDataForm
from mapping.local_data import page_context
from mapping.models import AreaMonth


def _version(request: HttpRequest):
    if not hasattr(request, "_mapping_version"):
        request._mapping_version = selectors.data_version()
    return request._mapping_version


def _etag(request: HttpRequest, *args, **kwargs) -> str:
    latest, count = _version(request)
    stamp = f"{latest.isoformat() if latest else '-'}|{count}|{request.get_full_path()}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args, **kwargs):
    return _version(request)[0]


cacheable = condition(etag_func=_etag, last_modified_func=_last_modified)


def _json(data: dict, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, separators=(",", ":"), ensure_ascii=False),
        content_type="application/json",
        status=status,
    )
    if status == 200:
        patch_cache_control(response, public=True, max_age=settings.MAP_DATA_MAX_AGE)
    else:
        patch_cache_control(response, no_store=True)
    return response


def _invalid(form) -> HttpResponse:
    return _json({"errors": form.error_dict()}, status=400)


def _area(borough: str | None, ward: str | None) -> dict:
    if ward:
        return {"kind": "ward", "code": ward}
    if borough:
        return {"kind": "borough", "code": borough}
    return {"kind": "london", "code": None}


@require_GET
@cacheable
def map_data(request: HttpRequest, kind: str = "auto") -> HttpResponse:
    """Cells when zoomed out, snap points when zoomed in (or as ``kind`` says), of the
    borough or neighbourhood asked for (or all of London). ``total`` counts the features
    in the bbox; ``area.total`` is the area's own total over the months, the number its
    page's tables show."""
    form = MapDataForm(request.GET, kind=kind)
    if not form.is_valid():
        return _invalid(form)
    filters = form.filters()
    data = form.cleaned_data
    bbox, zoom = data["bbox"], data["zoom"]
    where = {"borough_code": data["borough"] or None, "ward_code": data["ward"] or None}
    synthetic = selectors.is_synthetic(filters)
    if kind == "points" or (kind == "auto" and zoom >= grid.POINTS_MIN_ZOOM):
        collection = api.points_collection(
            filters, selectors.points(filters, bbox, **where), synthetic=synthetic
        )
    else:
        cell_zoom, cells = selectors.cells(filters, bbox, zoom, **where)
        collection = api.cells_collection(filters, cells, cell_zoom=cell_zoom, synthetic=synthetic)
    collection["area"] = {
        **_area(where["borough_code"], where["ward_code"]),
        "total": selectors.area_total(filters, **where),
    }
    return _json(collection)


@require_GET
@cacheable
def areas(request: HttpRequest) -> HttpResponse:
    """Totals per borough, or per neighbourhood of a borough (kind=ward&borough=...)."""
    form = AreaForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    filters = form.filters()
    kind = form.cleaned_data["kind"] or AreaMonth.BOROUGH
    borough = form.cleaned_data["borough"]
    if kind == AreaMonth.WARD:
        codes = selectors.ward_codes_in_borough(borough) if borough else None
        rows = selectors.area_totals(filters, kind=kind, codes=codes)
    else:
        rows = selectors.area_totals(filters, codes=[borough] if borough else None)
    return _json(
        {
            "kind": kind,
            **api.envelope(filters, synthetic=selectors.is_synthetic(filters)),
            "total": sum(row["total"] for row in rows),
            "areas": rows,
        }
    )


@require_GET
@cacheable
def trend(request: HttpRequest) -> HttpResponse:
    """Monthly totals for London, a borough (borough=...) or a neighbourhood (ward=...)."""
    form = AreaForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    filters = form.filters()
    ward, borough = form.cleaned_data["ward"] or None, form.cleaned_data["borough"] or None
    rows = selectors.area_trend(filters, borough_code=borough, ward_code=ward)
    return _json(
        {
            "area": _area(borough, ward),
            **api.envelope(filters, synthetic=selectors.is_synthetic(filters)),
            "total": selectors.rows_total(rows),
            "trend": api.month_rows(rows),
        }
    )


@require_GET
@cacheable
def hot_streets(request: HttpRequest) -> HttpResponse:
    """The locations with most incidents, as GeoJSON points."""
    form = HotStreetsForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    filters = form.filters()
    data = form.cleaned_data
    rows = selectors.hot_streets(
        filters,
        borough_code=data["borough"] or None,
        ward_code=data["ward"] or None,
        bbox=data["bbox"],
        limit=data["limit"] or 10,
    )
    collection = api.points_collection(filters, rows, synthetic=selectors.is_synthetic(filters))
    collection["kind"] = "hot-streets"
    return _json(collection)


def _query_without(request: HttpRequest, name: str) -> str:
    """The current query string without ``name``, ready to have ``name=...`` appended."""
    query = request.GET.copy()
    query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@require_GET
def london(request: HttpRequest) -> HttpResponse:
    """The London map page: filters, the map (an enhancement) and the same numbers as
    tables, all rendered on the server."""
    form = FilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        filters, borough = form.filters(), form.cleaned_data["borough"] or None
    else:
        filters, borough = selectors.default_filters(), None
    context = page_context(filters, borough_code=borough)
    context.update(
        form=form,
        months=selectors.available_months(),
        selected_borough=borough or "",
        selected_categories=(
            [] if filters.all_types else [crime_type.slug for crime_type in filters.types]
        ),
        area_query_prefix=_query_without(request, "borough"),
    )
    return TemplateResponse(request, "mapping/london.html", context)
