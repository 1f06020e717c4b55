/* Progressive enhancement of the crime and ASB map (the page works without it).
 * Loads counts for the visible area from the map data API: squares of the map when
 * zoomed out, single street locations when zoomed in. Every circle is a keyboard-
 * focusable button with an accessible name; Enter zooms into a square or opens a
 * location's details. */
(function () {
  "use strict";

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

  function plural(n, word) {
    return n.toLocaleString("en-GB") + " " + word + (n === 1 ? "" : "s");
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
        rows.push("<li>" + escapeHtml(names[slug] || slug) + ": " +
          count.toLocaleString("en-GB") + "</li>");
      }
    });
    return "<p class=\"govuk-body-s govuk-!-margin-bottom-1\"><strong>" +
      escapeHtml(properties.location || "This area") + "</strong>: " +
      plural(properties.total, "incident") + "</p><ul class=\"govuk-list govuk-body-s\">" +
      rows.join("") + "</ul>";
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
    var b = config.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);

    function load() {
      var bounds = map.getBounds();
      var params = new URLSearchParams({
        bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map(function (v) { return v.toFixed(5); }).join(","),
        zoom: String(map.getZoom()),
        month_from: config.monthFrom,
        month_to: config.monthTo
      });
      config.categories.forEach(function (slug) { params.append("category", slug); });
      var mine = ++request;
      fetch(config.dataUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== request) return;
          layer.clearLayers();
          if (!data.features) {
            status.textContent = "Zoom in to see street locations.";
            return;
          }
          data.features.forEach(function (feature) { add(feature, data.kind, data.categories); });
          status.textContent = "Showing " + plural(data.total || 0, "incident") + " in " +
            plural(data.features.length, data.kind === "points" ? "location" : "area") +
            " on the map." + (data.synthetic ? " Includes synthetic demo data, not real crimes." : "");
        })
        .catch(function () {
          status.textContent = "The map could not load its data. The tables below show the same numbers.";
        });
    }

    function add(feature, kind, categories) {
      var p = feature.properties;
      var coordinates = feature.geometry.coordinates;
      // The accessible name starts with the circle's visible text (WCAG 2.5.3).
      var prefix = p.total >= 1000 ? short(p.total) + ": " : "";
      var label = prefix + (kind === "points"
        ? plural(p.total, "incident") + " at " + p.location + ". Press Enter for details."
        : plural(p.total, "incident") + " in this area. Press Enter to zoom in.");
      var marker = L.marker([coordinates[1], coordinates[0]], {
        keyboard: true,
        title: "",
        icon: L.divIcon({
          className: "mapping-marker-icon",
          html: "<span class=\"mapping-marker mapping-marker--" + size(p.total) + "\" aria-hidden=\"true\">" +
            short(p.total) + "</span>",
          iconSize: null
        })
      });
      marker.on("add", function () {
        var element = marker.getElement();
        element.setAttribute("role", "button");
        element.setAttribute("aria-label", label);
      });
      if (kind === "points") {
        marker.bindPopup(details(p, names, categories));
      } else {
        var zoomIn = function () {
          var c = p.bbox;
          map.fitBounds([[c[1], c[0]], [c[3], c[2]]], {maxZoom: Math.max(map.getZoom() + 2, config.pointsMinZoom)});
        };
        marker.on("click", zoomIn);
        marker.on("keypress", function (e) {
          if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") {
            e.originalEvent.preventDefault();
            zoomIn();
          }
        });
      }
      marker.addTo(layer);
    }

    map.on("moveend", load);
    load();
  };
})();
