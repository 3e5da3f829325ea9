// Progressive enhancement of the report form: a filter for the category list, the chosen
// category's description, the sensitive-category rule shown as you choose, and "use my
// location" (the map itself is static/citizen/map.js). The form works the same without this file.
(function () {
  "use strict";
  var select = document.getElementById("id_category");
  if (!select) return;
  var filter = document.getElementById("category-filter");
  var description = document.getElementById("category-description");
  var note = document.getElementById("sensitive-note");
  var options = Array.prototype.slice.call(select.querySelectorAll("option[value]")).filter(function (o) { return o.value; });

  filter.hidden = false;
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().trim();
    options.forEach(function (o) {
      var text = (o.textContent + " " + (o.dataset.keywords || "") + " " + (o.dataset.description || "")).toLowerCase();
      var show = !words || text.indexOf(words) !== -1;
      o.hidden = !show; o.disabled = !show && !o.selected;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
      g.hidden = !g.querySelector("option:not([hidden])");
    });
  });

  function byValue(name, value) { return document.querySelector("input[name=" + name + "][value=" + value + "]"); }
  function update() {
    var chosen = select.options[select.selectedIndex];
    var sensitive = chosen && chosen.dataset.sensitive === "1";
    description.textContent = chosen && chosen.dataset.description ? chosen.dataset.description : "";
    note.hidden = !sensitive;
    var named = byValue("identity_mode", "named"), pub = byValue("visibility", "public");
    if (named) {
      named.disabled = sensitive;
      if (sensitive && named.checked) byValue("identity_mode", "confidential").checked = true;
    }
    if (pub) {
      pub.disabled = sensitive;
      if (sensitive && pub.checked) byValue("visibility", "private").checked = true;
    }
  }
  select.addEventListener("change", update);
  update();

  // "Use my location": says what happened, also when permission is refused or no fix comes
  // (it used to fail silently). A found point fills the fields; the map (map.js) follows them.
  var locate = document.querySelector("[data-locate]");
  var locateMessage = document.getElementById("locate-message");
  function tell(text) { locateMessage.hidden = false; locateMessage.textContent = text; }
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      tell(locate.dataset.waiting);
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = document.getElementById("id_latitude"), lng = document.getElementById("id_longitude");
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        lng.dispatchEvent(new Event("change"));
        tell(locate.dataset.found);
      }, function (error) {
        tell(error.code === error.PERMISSION_DENIED ? locate.dataset.denied : locate.dataset.failed);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }
})();
