// The status line of an autosaved form (#save-status, next to its Save button): htmx puts the
// server's answer there ("Đã lưu lúc ..."). A dropped connection or a refused save must not look
// like a save: the line says so, in the words the page gives it (data-offline, data-failed), and
// what was typed stays in the page. Used by the registration's commitments and the final report.
(function () {
  "use strict";
  function status() { return document.getElementById("save-status"); }
  function fail(text) {
    var s = status();
    if (!s) { return; }
    s.className = "small text-danger";
    s.textContent = text(s);
  }
  document.body.addEventListener("htmx:sendError", function () {
    fail(function (s) { return s.dataset.offline; });
  });
  // An expired session answers with a sentence in plain text; anything else gets the general message.
  document.body.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    fail(function (s) {
      return (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ? xhr.responseText : s.dataset.failed;
    });
  });
})();
