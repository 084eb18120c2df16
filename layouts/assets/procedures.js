// Instant filters for thu-tuc/. Without JavaScript the table lists every procedure; this only hides
// rows. The filter state goes into the address (?linh-vuc=…&muc-do=…) so a result can be linked.
(function () {
  "use strict";
  var form = document.getElementById("loc-thu-tuc");
  var table = document.getElementById("bang-thu-tuc");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("so-thu-tuc");
  var controls = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
  function fold(s) {  // ignore tone marks and case; đ is not decomposed by NFD, so map it
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ");
  }
  var texts = rows.map(function (r) { return fold(r.textContent); });
  function apply() {
    var want = {}, shown = 0, query = new URLSearchParams();
    controls.forEach(function (c) { want[c.dataset.key] = c.value; if (c.value) query.set(c.dataset.key, c.value); });
    var words = fold(want.q || "").split(" ").filter(Boolean);
    rows.forEach(function (r, i) {
      var ok = (!want["linh-vuc"] || r.dataset.linhVuc === want["linh-vuc"]) && (!want.cap || r.dataset.cap === want.cap)
        && (!want["muc-do"] || r.dataset.mucDo === want["muc-do"])
        && words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " / " + rows.length + " thủ tục";
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }
  var given = new URLSearchParams(location.search);
  controls.forEach(function (c) {
    if (given.has(c.dataset.key)) c.value = given.get(c.dataset.key);
    c.addEventListener(c.tagName === "SELECT" ? "change" : "input", apply);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
