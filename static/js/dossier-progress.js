// Progress bar of a dossier job: polls the job's small JSON endpoint and updates the bar, the
// counts and the failures; reloads the page once when the job finishes (the table of documents and
// the ZIP button then come from the server). The state is in the database, so a reload or a return
// later shows the same progress. Without JavaScript the page refreshes itself (<noscript> meta).
(function () {
  "use strict";
  var box = document.getElementById("dossier-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var url = box.dataset.progressUrl;
  var field = function (name) { return box.querySelector('[data-field="' + name + '"]'); };
  var fmt = function (n) { return Number(n).toLocaleString("vi-VN"); };
  var delay = 1000;

  function show(p) {
    field("state_label").textContent = p.state_label;
    field("done").textContent = fmt(p.done);
    field("total").textContent = fmt(p.total);
    var bar = field("bar");
    bar.style.width = p.percent + "%";
    bar.textContent = p.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", p.done);
    bar.classList.toggle("bg-warning", p.failed > 0);
    field("failed").textContent = fmt(p.failed);
    field("failed-line").hidden = p.failed === 0;
    field("error").textContent = p.error || "";
    field("notice").textContent = p.notice || "";
    field("notice").hidden = !p.notice;
    var list = field("failures");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    p.failures.forEach(function (f) {
      var li = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = f.title;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(": " + f.error));
      list.appendChild(li);
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (p) {
        show(p);
        if (p.finished) { window.location.reload(); return; }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server or the network is away: try again later
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
