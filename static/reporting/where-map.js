/* The "where" step's map: an enhancement. Selecting a point on the map, dragging the pin,
   choosing a search result or "use my location" fills the plain latitude/longitude fields
   that the page also offers without JavaScript. */
(function () {
  "use strict";

  function setup(map) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var source = document.getElementById("id_location_source");
    var status = document.getElementById("where-map-status");
    var marker = null;

    function show(latlng, how, pan) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: "Where it happened", alt: "Where it happened" });
        marker.addTo(map);
        marker.on("dragend", function () {
          show(marker.getLatLng(), "map", false);
          clearSearchChoice();
        });
      } else {
        marker.setLatLng(latlng);
      }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      source.value = how;
      status.textContent = "Pin placed at " + lat.value + ", " + lon.value + ". Continue to use this place.";
      if (pan) {
        map.setView(latlng, Math.max(map.getZoom(), 16));
      }
    }

    function clearSearchChoice() {
      Array.prototype.forEach.call(document.querySelectorAll('input[name="place"]'), function (radio) {
        radio.checked = false;
      });
    }

    if (lat.value && lon.value && !isNaN(+lat.value) && !isNaN(+lon.value)) {
      show(L.latLng(+lat.value, +lon.value), source.value || "map", true);
    }

    map.on("click", function (event) {
      show(event.latlng, "map", false);
      clearSearchChoice();
    });

    Array.prototype.forEach.call(document.querySelectorAll('input[name="place"]'), function (radio) {
      radio.addEventListener("change", function () {
        show(L.latLng(+radio.dataset.latitude, +radio.dataset.longitude), "search", true);
      });
    });

    var locate = document.getElementById("use-my-location");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = "Finding your location…";
        navigator.geolocation.getCurrentPosition(
          function (position) {
            show(L.latLng(position.coords.latitude, position.coords.longitude), "geolocation", true);
            clearSearchChoice();
          },
          function () {
            status.textContent = "We could not find your location. Search for the place, put a pin on the map, or describe it instead.";
          },
          { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
        );
      });
    }
  }

  window.reportingWhereMap = setup;
})();
