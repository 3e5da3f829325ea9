// Staff complaint page: the action area. Every action is a closed <details> that works
// without this script (and has its own page); this keeps one form open at a time, moves
// the focus into the chosen form, and opens the form a link names (#act-<action>).
(function () {
  "use strict";
  var list = document.querySelector("[data-action-list]");
  if (!list) return;
  var choices = Array.prototype.slice.call(list.querySelectorAll("details.action-choice"));

  function open(choice, focus) {
    choice.open = true;
    if (focus) {
      var field = choice.querySelector("form.form input:not([type=hidden]), form.form select, form.form textarea, form button");
      if (field) field.focus({ preventScroll: true });
    }
  }

  choices.forEach(function (choice) {
    choice.addEventListener("toggle", function () {
      if (!choice.open) return;
      choices.forEach(function (other) {
        if (other !== choice && other.open) other.open = false;
      });
      open(choice, true);
    });
  });

  function fromHash() {
    var id = (window.location.hash || "").slice(1);
    if (!id) return;
    var target = document.getElementById(id.replace(/^action-/, "act-"));
    if (target && choices.indexOf(target) !== -1) {
      open(target, false);
      target.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
