/* The "where" step's map: an enhancement. Selecting a point on the map, dragging the pin,
   choosing a search result or "use my location" fills the plain latitude/longitude fields
   that the page also offers without JavaScript. Each pin is described in words by the
   server (POST to the group's data-describe-url: {inside, label, attribution, message}),
   never shown as numbers; a pin outside London shows the server's message at once, and
   can be moved or removed ("Remove the pin" clears the latitude and longitude too). */
(function () {
  "use strict";

  function setup(map) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var source = document.getElementById("id_location_source");
    var status = document.getElementById("where-map-status");
    var group = document.getElementById("where-map-group");
    var error = document.getElementById("where-map-error");
    var remove = document.getElementById("remove-pin");
    var form = document.getElementById("where-form");
    var credit = document.getElementById("where-map-attribution");
    var marker = null;
    var asked = 0; // the latest description asked for: older answers are ignored

    function setError(message) {
      error.hidden = !message;
      error.textContent = "";
      if (message) {
        var hidden = document.createElement("span");
        hidden.className = "govuk-visually-hidden";
        hidden.textContent = "Error: ";
        error.appendChild(hidden);
        error.appendChild(document.createTextNode(message));
      }
      group.classList.toggle("govuk-form-group--error", !!message);
    }

    function setCredit(text) {
      credit.textContent = text || "";
      credit.hidden = !text;
    }

    function describe(latlng) {
      var ticket = ++asked;
      setCredit("");
      var body = new FormData();
      body.append("lat", latlng.lat.toFixed(6));
      body.append("lon", latlng.lng.toFixed(6));
      body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      status.textContent = "Finding the place…";
      fetch(group.dataset.describeUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (answer) {
          if (ticket !== asked) return;
          if (answer.inside) {
            setError("");
            setCredit(answer.attribution);
            status.textContent = "Pin placed " + (answer.label.indexOf("near ") === 0 ? "" : "in ") +
              answer.label + ". Continue to use this place, or select somewhere else to move the pin.";
          } else {
            setError(answer.message);
            status.textContent = "The pin is outside London. Move it to a place in London, or remove it.";
          }
        })
        .catch(function () {
          if (ticket !== asked) return;
          setError("");
          status.textContent = "Pin placed. Continue to use this place, or select somewhere else to move the pin.";
        });
    }

    function show(latlng, how, pan) {
      latlng = latlng.wrap(); // a map panned round the world still gives -180..180
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
      remove.hidden = false;
      describe(latlng);
      if (pan) {
        map.setView(latlng, Math.max(map.getZoom(), 16));
      }
    }

    function removePin() {
      asked++;
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      lat.value = "";
      lon.value = "";
      source.value = "";
      setError("");
      setCredit("");
      remove.hidden = true;
      status.textContent = "Pin removed. Select a place on the map, search for it, or describe it.";
      map.getContainer().focus();
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
    remove.addEventListener("click", removePin);

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

    setup.map = map; // for other scripts on the page, and the browser tests
  }

  window.reportingWhereMap = setup;
})();
