// Instant filters for van-ban/. Without JavaScript the paginated table lists every document.
// The filters search the whole index: when this page already holds it all they use its rows,
// otherwise they load the compact data file (form[data-src], see render.documents_data) on
// first use. The filter state goes into the address (?loai=…&nam=…) so a result can be linked.
// The words typed are read by query.js, as tim-kiem/ reads them: "mot cua" finds "một cửa"
// first, a number typed any way finds its document; what holds the words only apart, or some
// of them, comes after, under its own heading row.
(function () {
  "use strict";
  var form = document.getElementById("loc-van-ban");
  var table = document.getElementById("bang-van-ban");
  var Q = window.cchcQuery;
  if (!form || !table || !Q) return;
  var body = table.tBodies[0];
  var looseBody = document.createElement("tbody");
  looseBody.className = "gan-dung";
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

  function value(key) {
    var c = form.querySelector('[data-key="' + key + '"]');
    return c ? c.value : "";
  }

  function fromRows() {  // this page holds the whole index: filter its own rows
    return pageRows.map(function (r) {
      return {row: r, type: r.dataset.type, issuer: r.dataset.issuer, year: r.dataset.year,
              status: r.dataset.status, fields: r.dataset.fields ? r.dataset.fields.split("|") : [],
              symbol: r.cells[0].textContent.trim(),
              texts: [r.dataset.type + " " + r.cells[0].textContent.trim()].concat(
                Array.prototype.map.call(r.cells, function (c) { return c.textContent; }))};
    });
  }
  function fromData(data) {
    return data.documents.map(function (d) {
      var type = data.types[d[4]], issuer = data.issuers[d[5]], status = data.statuses[d[6]];
      var date = d[2].split("-").reverse().join("/");
      return {data: d, date: date, type: type, issuer: issuer, year: d[2].slice(0, 4), status: status[0],
              label: status[1], fields: d[7].map(function (f) { return data.fields[f]; }), symbol: d[1],
              texts: [type + " " + d[1], date, d[3], issuer, status[1]]};
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

  // A document's words, as query.js reads text: folded syllable -> spellings, the same for the
  // pairs of neighbours (each cell apart; the type before the number, as it is written: "Nghị
  // định 107/2021/NĐ-CP", as the search index titles it), and its number keys. Made once, on first use.
  function words(r) {
    if (r.words) return r.words;
    var syl = {}, pairs = {};
    function add(map, key, spelling) { (map[key] = map[key] || []).push(spelling); }
    r.texts.forEach(function (text) {
      Q.runs(text).forEach(function (run) {
        run.forEach(function (w, i) {
          add(syl, Q.fold(w), w);
          if (i) add(pairs, Q.fold(run[i - 1]) + " " + Q.fold(w), run[i - 1] + " " + w);
        });
      });
    });
    var numbers = {}, m = /^(\d{1,5})(?:\/((?:19|20)\d\d)\/)?/.exec(r.symbol);
    numbers[Q.compact(r.symbol)] = true;
    if (m) numbers[Q.numberKey(m[1], m[2] || r.year)] = true;
    return (r.words = {syl: syl, pairs: pairs, numbers: numbers});
  }
  // How a document answers one reading of the query (query.js parse): null when it holds an
  // excluded word, else the counts the tiers are made of.
  function answer(choice, r) {
    var w = words(r), out = {hits: 0, near: 0, tied: 0, exact: 0};
    function has(t, map) {
      if (t.number) return w.numbers[t.key] ? 1 : 0;
      var found = map[t.key] || [], kept = found.filter(function (s) { return Q.keeps(t, s); });
      if (t.marked && kept.some(function (s) { return Q.exact(t, s); })) out.exact++;
      return kept.length ? 1 : 0;
    }
    function holds(t) {   // an excluded word: typed with marks, that spelling only; without, every one
      if (t.number) return !!w.numbers[t.key];
      return (w.syl[t.key] || []).some(function (s) { return t.marked ? Q.exact(t, s) : Q.keeps(t, s); });
    }
    if (choice.excluded.some(holds)) return null;
    if (choice.excludedPairs.some(function (ps) { return ps.every(function (t) { return has(t, w.pairs); }); })) return null;
    choice.terms.forEach(function (t) { out.hits += has(t, w.syl); });
    choice.pairs.forEach(function (t) { out.near += has(t, w.pairs); });
    choice.strict.forEach(function (t) { out.tied += has(t, w.pairs); });
    return out;
  }
  // The documents (already filtered by the lists) for the words: {strict, loose, level}, as
  // search.js ranks them; in each list most neighbours together, then exact spellings, then newest first.
  function match(query, candidates) {
    var choices = Q.parse(query).choices, found;
    for (var n = 0; n < choices.length; n++) {
      var c = choices[n], need = c.terms.length, strict = [], apart = [], some = [], most = 0;
      candidates.forEach(function (r, i) {
        var a = answer(c, r);
        if (!a || !a.hits) return;
        a.i = i; a.r = r;
        if (a.hits === need && a.tied === c.strict.length) (a.near === c.pairs.length ? strict : apart).push(a);
        if (a.hits > most) { most = a.hits; some = []; }
        if (a.hits === most) some.push(a);
      });
      var order = function (a, b) { return b.near - a.near || b.exact - a.exact || a.i - b.i; };
      var rows = function (list) { return list.sort(order).map(function (a) { return a.r; }); };
      found = strict.length || apart.length
        ? {strict: rows(strict), loose: rows(apart), level: strict.length ? "found" : "apart"}
        : {strict: [], loose: rows(some), level: some.length ? "some" : "none"};
      if (found.level === "found" || found.level === "apart") break;
    }
    return found;
  }

  function apply() {
    remember();
    var active = controls.some(function (c) { return c.value; });
    if (!records) { if (active) load(); return; }
    var query = value("q").trim();
    var type = value("loai"), issuer = value("co-quan"), year = value("nam"),
        status = value("tinh-trang"), field = value("linh-vuc");
    var listed = active ? records.filter(function (r) {
      return (!type || r.type === type) && (!issuer || r.issuer === issuer) && (!year || r.year === year) &&
        (!status || r.status === status) && (!field || r.fields.indexOf(field) >= 0);
    }) : null;
    var found = !listed ? null : query ? match(query, listed) : {strict: listed, loose: [], level: "found"};
    var all = found ? found.strict.concat(found.loose) : null;
    var rows = found ? all.slice(0, limit) : pageRows, strictRows = found ? Math.min(found.strict.length, limit) : rows.length;
    body.textContent = looseBody.textContent = "";
    var fragment = document.createDocumentFragment();
    rows.slice(0, strictRows).forEach(function (r) { fragment.appendChild(found ? rowOf(r) : r); });
    body.appendChild(fragment);
    if (found && rows.length > strictRows) {
      var head = looseBody.insertRow(-1), th = document.createElement("th");
      th.colSpan = 5;
      th.scope = "rowgroup";
      th.textContent = found.level === "some" ? "Văn bản gần đúng: chỉ có một phần các từ đã gõ"
        : "Văn bản gần đúng: có đủ các từ đã gõ nhưng không đứng liền nhau";
      head.appendChild(th);
      rows.slice(strictRows).forEach(function (r) { looseBody.appendChild(rowOf(r)); });
      table.appendChild(looseBody);
    } else if (looseBody.parentNode) {
      table.removeChild(looseBody);
    }
    if (pager) pager.hidden = !!found;
    if (more) more.hidden = !found || all.length <= limit;
    if (!found) {
      count.textContent = "Tổng cộng " + total + " văn bản";
      if (caption) caption.textContent = captionText;
      return;
    }
    count.textContent = says(found, query) + (all.length > limit ? "; đang hiện " + limit + " văn bản đầu" : "");
    if (caption) caption.textContent = "Kết quả lọc: " + found.strict.length + " văn bản, mới nhất trước" +
      (found.loose.length ? "; sau đó " + found.loose.length + " văn bản gần đúng" : "");
  }

  // What the count line says: what was found, never near misses counted as results.
  function says(found, query) {
    var n = found.strict.length, loose = found.loose.length;
    if (found.level === "found") {
      return "Tìm thấy " + n + " / " + total + " văn bản" + (loose ? "; thêm " + loose + " văn bản gần đúng ở cuối bảng" : "");
    }
    if (found.level === "apart") {
      return "Không tìm thấy cụm từ “" + query + "”; " + loose + " văn bản gần đúng có đủ các từ nhưng không đứng liền nhau";
    }
    if (found.level === "some") {
      return "Không tìm thấy văn bản nào có đủ các từ “" + query + "”; " + loose + " văn bản gần đúng có một phần các từ";
    }
    return "Không tìm thấy văn bản nào cho “" + query + "”";
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
    var links = "tbody tr td:first-child a", first = table.querySelectorAll(links).length;
    limit += STEP;
    apply();
    var next = table.querySelectorAll(links)[first];
    if (next) next.focus();   // keyboard users continue where the new rows begin
  });
  apply();
})();
