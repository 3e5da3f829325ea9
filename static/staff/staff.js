// Staff pages: response templates (templates/complaints/staff/_template_picker.html).
// Choosing a template, or an outcome or reason, fills the form's text with the best
// matching template, already rendered by the server in the complaint's language. The forms
// work without this script: the "Use template" button asks the server for the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-template-picker]").forEach(function (picker) {
    var action = picker.getAttribute("data-template-picker");
    var form = picker.closest("form");
    var data = document.getElementById("templates-" + action);
    var select = picker.querySelector("select[name=template]");
    if (!form || !data || !select) return;
    var config = JSON.parse(data.textContent || "{}");
    var text = form.querySelector("[name=" + config.field + "]");
    var choice = config.choice_field ? form.querySelector("[name=" + config.choice_field + "]") : null;
    if (!text) return;
    var filled = text.value;
    function byPk(pk) {
      return config.templates.filter(function (t) { return String(t.pk) === String(pk); })[0];
    }
    function best() {
      // The most specific template for the chosen outcome or reason (or for any).
      var chosen = choice ? choice.value : "";
      var found = null, score = -1;
      config.templates.forEach(function (t) {
        if (t.choice !== "" && t.choice !== chosen) return;
        var s = (chosen && t.choice === chosen ? 4 : 0) + t.scope;
        if (s > score) { found = t; score = s; }
      });
      return found;
    }
    function fill(template) {
      // Never overwrite what the officer wrote themselves.
      if (text.value && text.value !== filled) return;
      filled = template ? template.text : "";
      text.value = filled;
    }
    select.addEventListener("change", function () {
      var template = select.value ? byPk(select.value) : best();
      if (template && choice && !choice.value && template.choice) choice.value = template.choice;
      fill(template);
    });
    if (choice) {
      choice.addEventListener("change", function () {
        var template = best();
        select.value = template ? String(template.pk) : "";
        fill(template);
      });
    }
  });
})();
