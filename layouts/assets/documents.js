// Instant filters for van-ban/. Without JavaScript the paginated table lists every document.
// The filters search the whole index: when this page already holds it all they use its rows,
// otherwise they load the compact data file (form[data-src], see render.documents_data) on
// first use. The filter state goes into the address (?loai=…&nam=…) so a result can be linked.
(function () {
  "use strict";
  var form = document.getElementById("loc-van-ban");
  var table = document.getElementById("bang-van-ban");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var caption = table.caption;
  var captionText = caption ? caption.textContent : "";
  var count = document.getElementById("so-van-ban");
  var more = document.getElementById("xem-them");
  var pager = document.querySelector("main .pager");
  var controls = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
  var pageRows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.dataset.type; });
  var total = parseInt(table.dataset.total, 10) || pageRows.length;
  var STEP = 100;              // rows shown at a time: thousands of rows at once are slow on a phone
  var records = null;          // [{row, key fields, text}] for every document, once known
  var loading = false;
  var limit = STEP;

  function fold(s) {  // ignore tone marks and case; đ is not decomposed by NFD, so map it
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/\s+/g, " ");
  }
  function value(key) {
    var c = form.querySelector('[data-key="' + key + '"]');
    return c ? c.value : "";
  }

  function fromRows() {  // this page holds the whole index: filter its own rows
    return pageRows.map(function (r) {
      return {row: r, type: r.dataset.type, issuer: r.dataset.issuer, year: r.dataset.year,
              status: r.dataset.status, fields: r.dataset.fields ? r.dataset.fields.split("|") : [],
              text: fold(r.textContent)};
    });
  }
  function fromData(data) {
    return data.documents.map(function (d) {
      var type = data.types[d[4]], issuer = data.issuers[d[5]], status = data.statuses[d[6]];
      var date = d[2].split("-").reverse().join("/");
      return {data: d, date: date, type: type, issuer: issuer, year: d[2].slice(0, 4), status: status[0],
              label: status[1], fields: d[7].map(function (f) { return data.fields[f]; }),
              text: fold([d[1], date, type, d[3], issuer, status[1]].join(" "))};
    });
  }
  function cell(tr, child) {
    var td = tr.insertCell(-1);
    if (typeof child === "string") td.textContent = child; else td.appendChild(child);
  }
  function element(tag, text, attrs) {
    var e = document.createElement(tag);
    e.textContent = text;
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function rowOf(r) {  // the same row the server writes (layouts/documents.html)
    if (r.row) return r.row;
    var d = r.data, tr = document.createElement("tr");
    tr.dataset.type = r.type; tr.dataset.issuer = r.issuer; tr.dataset.year = r.year;
    tr.dataset.status = r.status; tr.dataset.fields = r.fields.join("|");
    cell(tr, element("a", d[1], {href: form.dataset.rowLink.replace("__", d[0])}));
    cell(tr, element("time", r.date, {datetime: d[2]}));
    cell(tr, d[3]);
    cell(tr, r.issuer);
    cell(tr, element("span", r.label, {"class": "status status-" + r.status}));
    r.row = tr;
    return tr;
  }

  function load() {  // then apply(), which shows what is chosen by then
    if (records || loading) return;
    loading = true;
    count.textContent = "Đang tải danh mục văn bản…";
    var script = document.createElement("script");
    script.src = form.dataset.src;
    script.onload = function () {
      loading = false;
      if (!window.cchcVanBan) return script.onerror();
      records = fromData(window.cchcVanBan);
      apply();
    };
    script.onerror = function () {
      loading = false;
      count.textContent = "Không tải được danh mục để lọc. Hãy xem danh sách theo trang bên dưới.";
    };
    document.head.appendChild(script);
  }

  function remember() {  // the filters in the address, so a filtered list can be linked
    if (!window.history || !history.replaceState) return;
    var query = controls.filter(function (c) { return c.value; }).map(function (c) {
      return encodeURIComponent(c.dataset.key) + "=" + encodeURIComponent(c.value);
    }).join("&");
    try { history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash); }
    catch (e) { /* some browsers refuse it for pages opened from disk; the filters still work */ }
  }

  function apply() {
    remember();
    var active = controls.some(function (c) { return c.value; });
    if (!records) { if (active) load(); return; }
    var words = fold(value("q")).split(" ").filter(Boolean);
    var type = value("loai"), issuer = value("co-quan"), year = value("nam"),
        status = value("tinh-trang"), field = value("linh-vuc");
    var found = active ? records.filter(function (r) {
      return (!type || r.type === type) && (!issuer || r.issuer === issuer) && (!year || r.year === year) &&
        (!status || r.status === status) && (!field || r.fields.indexOf(field) >= 0) &&
        words.every(function (w) { return r.text.indexOf(w) >= 0; });
    }) : null;
    var rows = found ? found.slice(0, limit).map(rowOf) : pageRows;
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r); });
    body.textContent = "";
    body.appendChild(fragment);
    if (pager) pager.hidden = !!found;
    if (more) more.hidden = !found || found.length <= limit;
    if (!found) {
      count.textContent = "Tổng cộng " + total + " văn bản";
      if (caption) caption.textContent = captionText;
      return;
    }
    count.textContent = "Tìm thấy " + found.length + " / " + total + " văn bản" +
      (found.length > limit ? "; đang hiện " + limit + " văn bản đầu" : "");
    if (caption) caption.textContent = "Kết quả lọc: " + found.length + " văn bản, mới nhất trước";
  }

  var query = new URLSearchParams(location.search);
  controls.forEach(function (c) {
    var wanted = query.get(c.dataset.key);
    if (wanted !== null) c.value = wanted;
  });
  form.hidden = false;
  if (pageRows.length >= total) records = fromRows();
  form.addEventListener("focusin", load);   // start loading while they choose or type
  form.addEventListener("input", function () { limit = STEP; apply(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  if (more) more.addEventListener("click", function () {
    var first = body.rows.length;
    limit += STEP;
    apply();
    var next = body.rows[first] && body.rows[first].querySelector("a");
    if (next) next.focus();   // keyboard users continue where the new rows begin
  });
  apply();
})();
