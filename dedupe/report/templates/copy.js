// The report's only script (allowed by its hash in the Content-Security-Policy): show the
// copy buttons and put a finding's `dedupe review` command on the clipboard.
(function () {
  "use strict";
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    area.remove();
    return copied;
  }
  function show(button, copied) {
    button.textContent = copied ? "Copied" : "Select the command to copy it";
    button.setAttribute("data-copied", copied ? "yes" : "no");
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () { show(button, true); },
          function () { show(button, fallback(text)); }
        );
      } else {
        show(button, fallback(text));
      }
    });
  });
})();
