from django.urls import path

from mapping import views

app_name = "mapping"

urlpatterns = [
    path("map/", views.london, name="london"),
    path("map/data/map.json", views.map_data, name="map_data"),
    path("map/data/cells.json", views.map_data, {"kind": "cells"}, name="cells"),
    path("map/data/points.json", views.map_data, {"kind": "points"}, name="points"),
    path("map/data/areas.json", views.areas, name="areas"),
    path("map/data/trend.json", views.trend, name="trend"),
    path("map/data/hot-streets.json", views.hot_streets, name="hot_streets"),
]
