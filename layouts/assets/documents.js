// Instant filters over the document table. Without JavaScript the full table stays readable.
(function () {
  var form = document.getElementById("loc-van-ban");
  var table = document.getElementById("bang-van-ban");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("so-van-ban");
  var text = document.getElementById("loc-chu");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  function fold(s) {  // ignore tone marks and case; đ is not decomposed by NFD, so map it
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  var haystack = rows.map(function (r) { return fold(r.textContent).replace(/\s+/g, " "); });
  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = words.every(function (w) { return haystack[i].indexOf(w) >= 0; });
      selects.forEach(function (s) {
        if (!ok || !s.value) return;
        var value = row.dataset[s.dataset.key] || "";
        ok = s.dataset.key === "fields" ? value.split("|").indexOf(s.value) >= 0 : value === s.value;
      });
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = "Đang hiển thị " + shown + " / " + rows.length + " văn bản";
  }
  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
