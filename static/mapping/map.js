/* Progressive enhancement of the crime and ASB map (the page works without it).
 * The map starts on the area the page is about (a borough, a neighbourhood or London)
 * and draws only the incidents in it, loaded from the map data API: squares of the map
 * when zoomed out, single street locations when zoomed in. Its status line gives the
 * area's total from the API, the number the page's tables show, and how many of those
 * are in view. Every circle is a keyboard-focusable button with an accessible name and
 * a 44 px tap target; Enter zooms into a square or opens a location's details. Circles
 * whose targets would overlap are drawn as one (selecting it zooms in), and a circle cut
 * by the map's edge or under its controls is inert until moved clear.
 *
 * Data is loaded for a margin around the view, and again only when the view leaves it
 * or the zoom changes, never for the pan that opening a popup makes (on a phone, nearly
 * always); and a reload keeps the circle whose popup is open, so the popup stays open. */
(function () {
  "use strict";

  var MARGIN = 0.25; // of the view's size, loaded on each side
  var MAX_POINTS_SPAN = 0.25; // degrees: the API's limit for street locations
  var TAP_TARGET = 44; // px: each circle's hit area (WCAG 2.5.8 asks at least 24)

  function size(total) {
    if (total >= 100) return "large";
    if (total >= 10) return "medium";
    return "small";
  }

  function short(total) {
    if (total >= 10000) return Math.round(total / 1000) + "k";
    if (total >= 1000) return (total / 1000).toFixed(1).replace(/\.0$/, "") + "k";
    return String(total);
  }

  function number(n) {
    return n.toLocaleString("en-GB");
  }

  function plural(n, word) {
    return number(n) + " " + word + (n === 1 ? "" : "s");
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function details(properties, names, categories) {
    var rows = [];
    categories.forEach(function (slug, index) {
      var count = properties.counts[index];
      if (count) {
        rows.push("<li>" + escapeHtml(names[slug] || slug) + ": " + number(count) + "</li>");
      }
    });
    return "<p class=\"govuk-body-s govuk-!-margin-bottom-1\"><strong>" +
      escapeHtml(properties.location || "This area") + "</strong>: " +
      plural(properties.total, "incident") + "</p><ul class=\"govuk-list govuk-body-s\">" +
      rows.join("") + "</ul>";
  }

  /* What the status line says: the area's total (as in the tables), and when only part
   * of it is in view, how much is. */
  function statusText(config, area, inView, places, kind, synthetic) {
    var where = " in " + config.areaName + ", " + config.period;
    var text;
    if (!area.total) {
      text = "No incidents were recorded" + where + ".";
    } else if (inView >= area.total) {
      text = "Showing " + plural(area.total, "incident") + where + ".";
    } else {
      text = "Showing " + number(inView) + " of the " + plural(area.total, "incident") + where +
        ": those in view, " + (kind === "points"
          ? "at " + plural(places, "street location")
          : "in " + plural(places, "square") + " of the map") +
        ". Zoom out to see them all.";
    }
    return text + (synthetic ? " Includes synthetic demo data, not real crimes." : "");
  }

  window.mappingMapInit = function (map) {
    var wrapper = map.getContainer().closest("[data-mapping-map]");
    window.mappingMaps = window.mappingMaps || {};
    window.mappingMaps[map.getContainer().id] = map;
    var config = JSON.parse(document.getElementById(wrapper.dataset.configId).textContent);
    var status = wrapper.querySelector("[data-mapping-status]");
    var names = {};
    document.querySelectorAll("input[name=category]").forEach(function (input) {
      var label = document.querySelector("label[for='" + input.id + "']");
      if (label) names[input.value] = label.textContent.trim();
    });
    var layer = L.layerGroup().addTo(map);
    var request = 0;
    var loaded = null; // {bounds, zoom, data} of the last data drawn
    var markers = {}; // group id (a feature's id, for one alone) -> marker, of the data drawn
    var openId = null; // the group whose popup is open
    var credit = wrapper.querySelector("template[data-mapping-attribution]");
    if (credit && map.attributionControl) {
      map.attributionControl.addAttribution(credit.innerHTML.trim());
    }
    var b = config.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {maxZoom: 16});

    function wantedBounds() {
      var bounds = map.getBounds();
      var padded = bounds.pad(MARGIN);
      var pointsZoom = map.getZoom() >= config.pointsMinZoom;
      var tooWide = padded.getEast() - padded.getWest() > MAX_POINTS_SPAN ||
        padded.getNorth() - padded.getSouth() > MAX_POINTS_SPAN;
      return pointsZoom && tooWide ? bounds : padded;
    }

    function needsLoad() {
      return !loaded || loaded.zoom !== map.getZoom() || !loaded.bounds.contains(map.getBounds());
    }

    function showStatus() {
      var data = loaded.data;
      var view = map.getBounds();
      var inView = 0;
      var places = 0;
      data.features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        if (view.contains([c[1], c[0]])) {
          inView += feature.properties.total;
          places += 1;
        }
      });
      status.textContent = statusText(config, data.area, inView, places, data.kind, data.synthetic);
    }

    /* Only circles wholly in view, clear of the map's controls, can be tapped or reached
     * with Tab: one cut by the map's edge or under a control is left inert (its square
     * would be too small a target), until the map moves it clear. */
    function markReachable() {
      var size = map.getSize();
      var origin = map.getContainer().getBoundingClientRect();
      var controls = [].map.call(
        map.getContainer().querySelectorAll(".leaflet-control"),
        function (control) {
          var box = control.getBoundingClientRect();
          return [box.left - origin.left, box.top - origin.top,
            box.right - origin.left, box.bottom - origin.top];
        }
      );
      var half = TAP_TARGET / 2;
      var changes = [];
      Object.keys(markers).forEach(function (id) {
        var marker = markers[id];
        var element = marker.getElement();
        if (!element) return;
        var p = map.latLngToContainerPoint(marker.getLatLng());
        var box = [p.x - half, p.y - half, p.x + half, p.y + half];
        var clear = box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y &&
          !controls.some(function (c) {
            return box[0] < c[2] && c[0] < box[2] && box[1] < c[3] && c[1] < box[3];
          });
        changes.push([element, clear || marker.isPopupOpen()]);
      });
      changes.forEach(function (change) {
        var element = change[0];
        if (change[1]) {
          element.classList.remove("mapping-marker-icon--inert");
          element.setAttribute("role", "button");
          element.setAttribute("tabindex", "0");
          element.removeAttribute("aria-hidden");
        } else {
          element.classList.add("mapping-marker-icon--inert");
          element.removeAttribute("role");
          element.setAttribute("tabindex", "-1");
          element.setAttribute("aria-hidden", "true");
        }
      });
    }

    function focusedId() {
      var active = document.activeElement;
      for (var id in markers) {
        if (markers[id].getElement() === active) return id;
      }
      return null;
    }

    function load() {
      var bounds = wantedBounds();
      var zoom = map.getZoom();
      var params = new URLSearchParams({
        bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map(function (v) { return v.toFixed(5); }).join(","),
        zoom: String(zoom),
        month_from: config.monthFrom,
        month_to: config.monthTo
      });
      if (config.borough) params.append("borough", config.borough);
      if (config.ward) params.append("ward", config.ward);
      config.categories.forEach(function (slug) { params.append("category", slug); });
      var mine = ++request;
      var container = map.getContainer();
      container.setAttribute("aria-busy", "true"); // until the newest answer is drawn
      var done = function () {
        if (mine === request) container.removeAttribute("aria-busy");
      };
      fetch(config.dataUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== request) return;
          done();
          if (!data.features) {
            loaded = null;
            layer.clearLayers();
            openId = null;
            markers = {};
            status.textContent = "Zoom in to see street locations.";
            return;
          }
          // The circle whose popup is open stays as it is (its popup open) when the new
          // data has it too; every other circle is replaced, and the one that had the
          // keyboard focus is focused again.
          var keepId = openId !== null && markers[openId] ? openId : null;
          var keep = keepId === null ? null : markers[keepId];
          var refocus = focusedId();
          layer.eachLayer(function (marker) {
            if (marker !== keep) layer.removeLayer(marker);
          });
          markers = {};
          groups(data.features).forEach(function (group) {
            if (keep && group.id === keepId) markers[keepId] = keep;
            else add(group, data.kind, data.categories);
          });
          loaded = {bounds: bounds, zoom: zoom, data: data};
          if (keep && markers[keepId] !== keep) layer.removeLayer(keep); // gone: popup closes
          if (refocus !== null && markers[refocus] && markers[refocus] !== keep) {
            markers[refocus].getElement().focus({preventScroll: true});
          }
          showStatus();
          markReachable();
        })
        .catch(function () {
          done();
          status.textContent = "The map could not load its data. The tables below show the same numbers.";
        });
    }

    /* Circles whose 44 px squares would overlap are drawn as one (each square is then
     * whole, and none hides another: WCAG 2.5.8), at the place of the busiest of them:
     * [{id, members}], the busiest first. A group's id names its members. */
    function groups(features) {
      var sorted = features.slice().sort(function (a, b) {
        return b.properties.total - a.properties.total || String(a.id).localeCompare(String(b.id));
      });
      var buckets = {};
      var found = [];
      sorted.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        var point = map.latLngToLayerPoint([c[1], c[0]]);
        var bx = Math.floor(point.x / TAP_TARGET);
        var by = Math.floor(point.y / TAP_TARGET);
        var home = null;
        for (var i = -1; i <= 1 && !home; i++) {
          for (var j = -1; j <= 1 && !home; j++) {
            (buckets[(bx + i) + "," + (by + j)] || []).forEach(function (group) {
              if (!home && Math.abs(group.point.x - point.x) < TAP_TARGET &&
                  Math.abs(group.point.y - point.y) < TAP_TARGET) home = group;
            });
          }
        }
        if (home) {
          home.members.push(feature);
          return;
        }
        var group = {point: point, members: [feature]};
        var key = bx + "," + by;
        (buckets[key] = buckets[key] || []).push(group);
        found.push(group);
      });
      found.forEach(function (group) {
        group.id = group.members.length === 1 ? String(group.members[0].id)
          : "group:" + group.members.map(function (f) { return f.id; }).sort().join(",");
      });
      return found;
    }

    function bboxOf(members, kind) {
      var west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
      members.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        var box = kind === "cells" ? feature.properties.bbox : [c[0], c[1], c[0], c[1]];
        west = Math.min(west, box[0]); south = Math.min(south, box[1]);
        east = Math.max(east, box[2]); north = Math.max(north, box[3]);
      });
      return [[south, west], [north, east]];
    }

    /* The zoom at which the closest two of these locations are a whole circle apart
     * (each zoom level doubles distances), at most the map's closest zoom. */
    function separatingZoom(members) {
      var points = members.map(function (f) {
        var c = f.geometry.coordinates;
        return map.latLngToLayerPoint([c[1], c[0]]);
      });
      var closest = Infinity;
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          closest = Math.min(closest, Math.max(
            Math.abs(points[i].x - points[j].x), Math.abs(points[i].y - points[j].y)));
        }
      }
      var steps = closest > 0 ? Math.ceil(Math.log2(TAP_TARGET / closest)) : Infinity;
      return Math.min(map.getMaxZoom(), map.getZoom() + Math.max(1, steps));
    }

    function add(group, kind, categories) {
      var members = group.members;
      var first = members[0];
      var coordinates = first.geometry.coordinates;
      var total = members.reduce(function (sum, f) { return sum + f.properties.total; }, 0);
      var single = members.length === 1;
      // Nearby locations drawn as one: zoom in to tell them apart, or at the closest zoom
      // their details are listed together.
      var listed = kind === "points" && (single || map.getZoom() >= map.getMaxZoom());
      var what;
      if (kind === "points" && single) {
        what = plural(total, "incident") + " at " + first.properties.location;
      } else if (kind === "points") {
        what = plural(total, "incident") + " at " + plural(members.length, "nearby street location");
      } else {
        what = plural(total, "incident") + " in this area";
      }
      // The accessible name starts with the circle's visible text (WCAG 2.5.3).
      var prefix = total >= 1000 ? short(total) + ": " : "";
      var label = prefix + what + (listed ? ". Press Enter for details." : ". Press Enter to zoom in.");
      var marker = L.marker([coordinates[1], coordinates[0]], {
        keyboard: true,
        title: "",
        icon: L.divIcon({
          className: "mapping-marker-icon",
          html: "<span class=\"mapping-marker mapping-marker--" + size(total) + "\" aria-hidden=\"true\">" +
            short(total) + "</span>",
          iconSize: [TAP_TARGET, TAP_TARGET]
        })
      });
      marker.on("add", function () {
        var element = marker.getElement();
        element.setAttribute("role", "button");
        element.setAttribute("aria-label", label);
      });
      if (listed) {
        var html = members.map(function (f) { return details(f.properties, names, categories); }).join("");
        // Narrow enough to fit a phone's map with room to spare, so it pans little.
        // It opens clear of the zoom buttons (below them), never under them.
        var zoomControl = map.zoomControl && map.zoomControl.getContainer();
        var top = zoomControl ? zoomControl.offsetTop + zoomControl.offsetHeight + 8 : 16;
        marker.bindPopup(html, {
          autoPanPaddingTopLeft: [16, top],
          autoPanPaddingBottomRight: [16, 16],
          maxWidth: Math.max(160, Math.min(300, map.getSize().x - 80)),
          maxHeight: Math.max(120, map.getSize().y - 120)
        });
        marker.on("popupopen", function () { openId = group.id; });
        marker.on("popupclose", function () {
          if (openId === group.id) openId = null;
        });
      } else {
        var zoomIn = function () {
          // Centred on the incidents, at least one zoom level closer: for locations,
          // close enough to tell the nearest two apart; for squares, their size.
          var centre = L.latLngBounds(bboxOf(members, "points")).getCenter();
          var zoom = map.getZoom();
          if (kind === "points") {
            map.setView(centre, separatingZoom(members));
          } else {
            var fits = map.getBoundsZoom(bboxOf(members, kind));
            map.setView(centre, Math.min(Math.max(fits, zoom + 1),
              Math.max(zoom + 2, config.pointsMinZoom), map.getMaxZoom()));
          }
        };
        marker.on("click", zoomIn);
        marker.on("keypress", function (e) {
          if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") {
            e.originalEvent.preventDefault();
            zoomIn();
          }
        });
      }
      markers[group.id] = marker;
      marker.addTo(layer);
    }

    // The pan a popup makes to fit in view reloads nothing (a reload would redraw the
    // circles under the resident's finger); what it brought into view is loaded when the
    // popup closes, or when the map moves again.
    var popupPan = false;
    map.on("autopanstart", function () { popupPan = true; });
    map.on("popupclose", function () {
      if (loaded && needsLoad()) load();
    });
    map.on("moveend", function () {
      markReachable();
      var wait = popupPan;
      popupPan = false;
      if (!wait && needsLoad()) load();
      else if (loaded) showStatus();
    });
    load();
  };
})();
