// The report form's map (Leaflet, static/vendor/leaflet): a pin that fills the latitude and
// longitude fields. Mouse or touch: tap/click the map, or drag the pin. Keyboard: the map is
// one tab stop; arrow keys move the pin by a few metres (Shift: ten times more), Enter or
// Space puts it in the middle of the map. The fields stay visible and editable, and typing
// in them moves the pin. Without JavaScript (or without this file) the form is unchanged.
(function () {
  "use strict";
  var element = document.getElementById("report-map");
  var data = document.getElementById("map-config");
  var latInput = document.getElementById("id_latitude");
  var lngInput = document.getElementById("id_longitude");
  if (!element || !data || !latInput || !lngInput || typeof L === "undefined") return;
  var config = JSON.parse(data.textContent);
  var status = document.getElementById("map-status");
  var STEP_M = 5;  // one arrow press: "a few metres"
  var METRES_PER_DEGREE = 111320;

  document.getElementById("map-picker").hidden = false;
  // Leaflet's own keyboard handler pans the map; here the arrows move the pin instead.
  var map = L.map(element, { keyboard: false, attributionControl: !!config.tiles })
    .setView(config.center, config.zoom);
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  if (config.outlines && config.outlines.length) {
    // The city's kecamatan, so that a map without tiles still shows where one is.
    L.geoJSON({ type: "FeatureCollection", features: config.outlines.map(function (g) {
      return { type: "Feature", geometry: g, properties: {} };
    }) }, { interactive: false, style: { color: "#44546a", weight: 1.5, fillOpacity: 0.04 } }).addTo(map);
  }
  var bounds = config.bounds ? L.latLngBounds(config.bounds) : null;
  if (bounds) map.setMaxBounds(bounds.pad(0.25));

  var icon = L.icon({
    iconUrl: element.dataset.icon, iconRetinaUrl: element.dataset.icon2x, shadowUrl: element.dataset.shadow,
    iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41],
  });
  var marker = null, placed = null;  // the pin, and its last point inside the service area

  function say(text) { status.textContent = text; }

  function fill(latlng) {
    latInput.value = latlng.lat.toFixed(6);
    lngInput.value = latlng.lng.toFixed(6);
    say(element.dataset.placed.replace("{lat}", latInput.value).replace("{lng}", lngInput.value));
  }

  // Put the pin at a point (refused outside the service area, where the server would refuse
  // the report too). fillInputs is false when the point came from the fields themselves.
  function place(latlng, fillInputs) {
    if (bounds && !bounds.contains(latlng)) {
      say(element.dataset.outside);
      if (marker && placed) marker.setLatLng(placed);  // a drag outside springs back
      return false;
    }
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: false, icon: icon, alt: element.dataset.pinLabel })
        .addTo(map);
      marker.on("dragend", function () { place(marker.getLatLng(), true); });
    } else {
      marker.setLatLng(latlng);
    }
    placed = latlng;
    if (fillInputs) fill(latlng);
    if (!map.getBounds().contains(latlng)) map.panTo(latlng);
    return true;
  }

  map.on("click", function (event) { place(event.latlng, true); });

  element.addEventListener("keydown", function (event) {
    if (event.target !== element) return;  // the zoom buttons keep their own keys
    var key = event.key;
    if (key === "Enter" || key === " " || key === "Spacebar") {
      event.preventDefault();
      place(map.getCenter(), true);
      return;
    }
    var moves = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!moves[key]) return;
    event.preventDefault();
    var from = marker ? marker.getLatLng() : map.getCenter();
    var metres = STEP_M * (event.shiftKey ? 10 : 1);
    var dLat = moves[key][0] * metres / METRES_PER_DEGREE;
    var dLng = moves[key][1] * metres / (METRES_PER_DEGREE * Math.cos(from.lat * Math.PI / 180));
    place(L.latLng(from.lat + dLat, from.lng + dLng), true);
  });

  // Typed coordinates, or "use my location" (static/citizen/report.js), move the pin.
  function fromInputs() {
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    if (isNaN(lat) || isNaN(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return;
    if (place(L.latLng(lat, lng), false)) map.setView(L.latLng(lat, lng), Math.max(map.getZoom(), 16));
  }
  latInput.addEventListener("change", fromInputs);
  lngInput.addEventListener("change", fromInputs);
  // A form sent back with errors keeps its point.
  if (latInput.value && lngInput.value) fromInputs();
})();
