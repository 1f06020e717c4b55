/* Staff report page: a pin on the report's place. */
(function () {
  "use strict";
  window.reportingReportMap = function (map) {
    var wrapper = document.getElementById("report-map-wrapper");
    var latlng = L.latLng(+wrapper.dataset.latitude, +wrapper.dataset.longitude);
    L.marker(latlng, { title: "Report location", alt: "Report location" }).addTo(map);
    map.setView(latlng, 17);
  };
})();
