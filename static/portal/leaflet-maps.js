/* Starts the maps of {% leaflet_map %} (templates/leaflet/_leaflet_map.html) without inline
   script: each map's options are in data attributes; this calls django-leaflet's own
   L.Map.djangoMap with them, on the events django-leaflet would (window "load" by default).
   Loaded with defer, after leaflet.js; a page with several maps loads it once per map, so
   each map is started once. */
(function () {
  "use strict";

  function resolve(path) {
    if (!path) return null;
    var target = window;
    path.replace(/^window\./, "").split(".").forEach(function (part) {
      target = target == null ? null : target[part];
    });
    return typeof target === "function" ? target : null;
  }

  function start(element) {
    if (element.dataset.leafletStarted) return;
    element.dataset.leafletStarted = "true";
    var name = element.dataset.leafletMap;
    var globals = element.dataset.globals === "true";
    var callbackName = element.dataset.callback;

    function loadmap() {
      var options = {
        djoptions: JSON.parse(element.dataset.options),
        initfunc: loadmap,
        globals: globals,
        callback: resolve(callbackName),
      };
      var map = L.Map.djangoMap(name, options);
      if (globals) window["leafletmap" + name] = map;
    }

    var events = JSON.parse(element.dataset.loadevents || "[]");
    if (events.length === 0) loadmap();
    else events.forEach(function (event) { window.addEventListener(event, loadmap, false); });
    if (globals) window["loadmap" + name] = loadmap;
  }

  document.querySelectorAll("[data-leaflet-map]").forEach(start);
})();
