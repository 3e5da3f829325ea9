// Staff pages: fill the rejection text from the editable template of the chosen reason
// (in the complaint's language). The form works without this script: the officer then
// types the explanation.
(function () {
  "use strict";
  document.querySelectorAll("form[data-reject-form]").forEach(function (form) {
    var data = form.querySelector("#reject-texts");
    var reason = form.querySelector("select[name=reason]");
    var message = form.querySelector("textarea[name=message]");
    if (!data || !reason || !message) return;
    var texts = JSON.parse(data.textContent || "{}");
    var filled = message.value;
    reason.addEventListener("change", function () {
      // Never overwrite what the officer wrote themselves.
      if (message.value && message.value !== filled) return;
      filled = texts[reason.value] || "";
      message.value = filled;
    });
  });
})();
