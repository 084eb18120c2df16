// Search in the browser over the Pagefind bundle the build writes to pagefind/ (cchc/search.py).
// Only the index chunks a query needs are fetched. Without JavaScript, or when the bundle cannot
// be loaded, the page offers the category lists and the document index instead.
(function () {
  "use strict";
  var form = document.getElementById("tim-kiem");
  if (!form) return;
  var input = form.elements.q;
  var filterBox = form.querySelector(".search-filters");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.getElementById("so-ket-qua");
  var list = document.getElementById("ket-qua");
  var more = document.getElementById("xem-them");
  var MARKER = "\u2042";   // search.py: what follows it is searchable only (folded words), never shown
  var PAGE = 10, WINDOW = 30;
  var root = form.getAttribute("data-root");
  var disk = /index\.html$/.test(root);        // a copy built --for-disk links to .../index.html
  root = root.replace(/index\.html$/, "");
  var pagefind = null, results = [], shown = 0, terms = [], generation = 0, timer = 0, timed = false;

  function fold(s) {  // tone marks and case off, đ -> d: NFD does not decompose đ
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function key(word) { return fold(word).replace(/[^0-9a-z]/g, ""); }
  // A word typed with đ matches only đ words (as in Pagefind); one typed with d matches both.
  function toneKey(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^0-9a-zđ]/g, "");
  }
  function term(word) { return /[đĐ]/.test(word) ? { key: toneKey(word), of: toneKey } : { key: key(word), of: key }; }

  // What Pagefind is asked. A document number, however typed ("61 / 2018 / nđ-cp", "908/QD-UBND"),
  // becomes the one token search.py indexes ("612018ndcp"); other words go as typed, so an exact
  // diacritic match still ranks above a folded one. Numbers typed with spaces only ("908 qd ubnd")
  // are tried as a number first and as words if that finds nothing.
  var NUMBER = /\d+(?:\s*[\/\-]\s*[0-9A-Za-zĐđ]+)+/g, SPACED = /^\d+(?:[\s\/\-]+[0-9A-Za-zĐđ]{1,6})+$/;
  function numberToken(text) { return fold(text).replace(/[^0-9a-z]/g, ""); }
  function prepare(query) {
    var words = query.replace(NUMBER, numberToken).split(/\s+/).filter(Boolean);
    return SPACED.test(query.trim()) ? [[numberToken(query)], words] : [words];
  }

  function matches(word) {  // Pagefind completes the last word typed (prefix), the others must be whole
    for (var i = 0; i < terms.length; i++) {
      var k = terms[i].of(word);
      if (k && (k === terms[i].key || (i === terms.length - 1 && k.indexOf(terms[i].key) === 0))) return true;
    }
    return false;
  }

  // Text with the query's words marked, in the text's own diacritics.
  function marked(words, from, to) {
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var text = (i > from ? " " : "") + words[i];
      if (matches(words[i])) {
        if (i > from) frag.appendChild(document.createTextNode(" "));
        var m = document.createElement("mark");
        m.textContent = words[i];
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(text));
      }
    }
    return frag;
  }

  function excerpt(content) {
    var words = content.split(MARKER)[0].split(/\s+/).filter(Boolean);
    var best = 0, bestCount = -1;
    for (var i = 0; i < words.length; i++) {
      if (!matches(words[i])) continue;
      var start = Math.max(0, i - 6), count = 0;
      for (var j = start; j < Math.min(words.length, start + WINDOW); j++) if (matches(words[j])) count++;
      if (count > bestCount) { best = start; bestCount = count; }
    }
    var end = Math.min(words.length, best + WINDOW);
    var p = document.createElement("p");
    p.className = "search-excerpt";
    if (best > 0) p.appendChild(document.createTextNode("… "));
    p.appendChild(marked(words, best, end));
    if (end < words.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function link(url) {
    var href = root + url.replace(/^\//, "");
    return disk && /\/$/.test(href) ? href + "index.html" : href;
  }

  function item(d) {
    var m = d.meta || {};
    var li = document.createElement("li");
    li.className = "search-result";
    var kind = document.createElement("p");
    kind.className = "search-kind";
    kind.textContent = (d.filters && d.filters.loai && d.filters.loai[0]) || "";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = link(d.url);
    var title = (m.title || d.url).split(/\s+/);
    a.appendChild(marked(title, 0, title.length));
    h.appendChild(a);
    var facts = document.createElement("p");
    facts.className = "meta";
    var parts = m.so_ky_hieu ? [m.co_quan, m.ngay ? "ban hành " + m.ngay : "", m.tinh_trang] : [m.ngay, m.chuyen_muc];
    facts.textContent = parts.filter(Boolean).join(" · ");
    li.appendChild(kind);
    li.appendChild(h);
    if (facts.textContent) li.appendChild(facts);
    li.appendChild(excerpt(d.content || ""));
    return li;
  }

  function chosen() {
    var f = {};
    selects.forEach(function (s) { if (s.value) f[s.getAttribute("data-filter")] = s.value; });
    return f;
  }

  function remember(push) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
    var url = location.pathname + (params.toString() ? "?" + params : "");
    if (url === location.pathname + location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function showMore(gen) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      if (gen !== generation) return;
      data.forEach(function (d) { list.appendChild(item(d)); });
      more.hidden = shown >= results.length;
      if (!timed && data.length) {  // how long the first results took after the page loaded
        timed = true;
        performance.mark("tim-kiem:ket-qua");
      }
    });
  }

  function run(push) {
    clearTimeout(timer);
    remember(push);
    var query = input.value.trim(), f = chosen(), gen = ++generation;
    if (!pagefind) return;
    if (!query && !Object.keys(f).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    var choices = prepare(query);
    (function attempt(n) {
      var asked = choices[n];
      return pagefind.search(asked.length ? asked.join(" ") : null, { filters: f }).then(function (search) {
        if (gen !== generation) return;
        if (!search.results.length && n + 1 < choices.length) return attempt(n + 1);
        terms = asked.map(term).filter(function (t) { return t.key; });
        results = search.results;
        shown = 0;
        list.textContent = "";
        var about = query ? " cho “" + query + "”" : "";
        status.textContent = results.length
          ? "Tìm thấy " + results.length + " kết quả" + about + "."
          : "Không tìm thấy kết quả nào" + about + ". Hãy thử từ khóa ngắn hơn, gõ không dấu, hoặc bỏ bớt bộ lọc.";
        return showMore(gen);
      });
    })(0);
  }

  function fromAddress() {
    input.value = new URLSearchParams(location.search).get("q") || "";
    selectsFromAddress();
  }

  function selectsFromAddress() {
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var v = params.get(s.name) || "";
      if (v && !Array.prototype.some.call(s.options, function (o) { return o.value === v; })) {
        s.appendChild(new Option(v, v));   // a linked filter the index no longer lists: keep it visible
      }
      s.value = v;
    });
  }

  function fillFilters(counts) {
    selects.forEach(function (s) {
      var values = counts[s.getAttribute("data-filter")] || {};
      var names = Object.keys(values).sort(function (a, b) {
        return s.name === "nam" ? b.localeCompare(a) : a.localeCompare(b, "vi");
      });
      names.forEach(function (v) { s.appendChild(new Option(v + " (" + values[v] + ")", v)); });
    });
    filterBox.hidden = false;
  }

  function fail() {
    status.textContent = "";
    document.getElementById("tim-kiem-loi").hidden = false;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(false); }, 250); });
  selects.forEach(function (s) { s.addEventListener("change", function () { run(true); }); });
  more.addEventListener("click", function () { showMore(generation); });
  window.addEventListener("popstate", function () { fromAddress(); run(false); });

  fromAddress();
  if (input.value) status.textContent = "Đang tìm…";
  var bundle = new URL(form.getAttribute("data-bundle"), location.href).href;
  import(bundle).then(function (pf) {
    return pf.init().then(function () { pagefind = pf; });
  }).then(function () {
    run(false);
    return pagefind.filters().then(function (counts) { fillFilters(counts); selectsFromAddress(); });
  }).catch(fail);
})();
