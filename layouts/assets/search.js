// Search in the browser over the index the build writes to tim-kiem/ (cchc/search.py explains the
// files). A query fetches only the index files of its own syllables, then the result details of
// the ten results shown. Without JavaScript, or when the index cannot be loaded, the page offers
// the category lists and the document index instead. No dependencies; ES2017.
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
  var PAGE = 10, WINDOW = 30, OTHER_D = 0x80;
  var FACETS = ["loai", "chuyen_muc", "loai_van_ban", "nam"];   // the byte order in the facets file
  var root = form.getAttribute("data-root");
  var disk = /index\.html$/.test(root);        // a copy built --for-disk links to .../index.html
  root = root.replace(/index\.html$/, "");
  var entryUrl = new URL(form.getAttribute("data-index"), location.href);
  var dataUrl = new URL("du-lieu/", entryUrl);
  var entry = null, files = new Map(), results = [], shown = 0, terms = [], generation = 0, timer = 0;

  // --- text: the same folding and word splitting as search.py ---------------------------
  function fold(s) {  // tone marks and case off, đ -> d: NFD does not decompose đ
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function toneKey(s) {  // marks off but đ kept: a word typed with đ matches only words with đ
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }
  var WORD = /[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+/g;
  function words(text) { return text.normalize("NFC").toLowerCase().match(WORD) || []; }
  function compact(text) {  // search.py compact_number: "61 / 2018 / nđ-cp" -> "612018ndcp"
    return fold(text).replace(/[^0-9a-z]/g, "").replace(/^0+(?=\d)/, "");
  }

  // A document number, however typed ("61 / 2018 / nđ-cp", "908/QD-UBND"), becomes the one
  // token search.py indexes; a query of spaced parts only ("61 2018 nd cp") is tried as a number
  // first and as words if that finds nothing.
  var NUMBER = /\d+(?:\s*[\/\-\u2013]\s*[0-9A-Za-zĐđ]+)+/g, SPACED = /^\d+(?:[\s\/\-]+[0-9A-Za-zĐđ]{1,6})+$/;
  function prepare(query) {
    var found = [];
    var rest = query.replace(NUMBER, function (n) {
      var c = compact(n);
      if (/[a-z]/.test(c)) { found.push({ key: c, number: true }); return " "; }
      return n;   // a date or a range of years: its words
    });
    var wordTerms = words(rest).map(function (w) {
      return { key: fold(w), typed: w, d: /đ/.test(w), number: false };
    });
    var choices = [dedupe(found.concat(wordTerms))];
    if (SPACED.test(query.trim()) && !found.length) choices.unshift([{ key: compact(query), number: true }]);
    return choices;
  }
  function dedupe(list) {
    var seen = {};
    return list.filter(function (t) {
      var k = t.key + "|" + (t.typed || "");
      return seen[k] ? false : (seen[k] = true);
    });
  }

  // --- the index files ----------------------------------------------------------------
  function fetchFile(name, kind) {
    if (!files.has(name)) {
      files.set(name, fetch(new URL(name, dataUrl)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return kind === "json" ? r.json() : r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      }));
    }
    return files.get(name);
  }
  function shardOf(token) {  // search.py shard_of: FNV-1a over UTF-8, modulo the shard count
    var h = 0x811c9dc5, bytes = new TextEncoder().encode(token);
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return entry.own[token] || entry.shards[h % entry.shards.length];
  }
  var utf8 = new TextDecoder();
  // The postings of one token in a shard (layout: search.py _entry), or null.
  function readShard(b, token) {
    var p = 0;
    function varint() {
      var n = 0, shift = 1, x;
      do { x = b[p++]; n += (x & 0x7f) * shift; shift *= 128; } while (x & 0x80);
      return n;
    }
    function text() { var n = varint(); p += n; return utf8.decode(b.subarray(p - n, p)); }
    while (p < b.length) {
      var name = text(), spellings = [], k = varint();
      for (var i = 0; i < k; i++) spellings.push(text());
      var count = varint(), head = varint(), bitset = head % 2, size = Math.floor(head / 2);
      if (name !== token) { p += size + 2 * count; continue; }
      var ids = new Int32Array(count), id = -1, j = 0, end = p + size;
      if (bitset) {
        for (var at = p; at < end; at++) {
          for (var bit = 0; bit < 8; bit++) if (b[at] & (1 << bit)) ids[j++] = (at - p) * 8 + bit;
        }
        p = end;
      } else {
        for (; j < count; j++) { id += varint(); ids[j] = id; }
      }
      return { spellings: spellings, ids: ids, scores: b.subarray(p, p + count), masks: b.subarray(p + count, p + 2 * count) };
    }
    return null;
  }

  // --- ranking --------------------------------------------------------------------------
  // AND across the query's words; when no record has them all, the records with the most of
  // them. An exact spelling (Đà for Đà, da for da) doubles a word's score; rarer words weigh more.
  function rank(choice, filters) {
    var pairs = [];   // neighbouring words of the query, indexed as pairs from titles (search.py)
    for (var i = 1; i < choice.length; i++) {
      if (!choice[i - 1].number && !choice[i].number) pairs.push(choice[i - 1].key + " " + choice[i].key);
    }
    var wanted = choice.map(function (t) { return t.key; }).concat(pairs).map(function (k) {
      return fetchFile(shardOf(k), "bin");
    });
    var needFacets = Object.keys(filters).length ? fetchFile(entry.facets, "bin") : Promise.resolve(null);
    return Promise.all([Promise.all(wanted), needFacets]).then(function (got) {
      var allow = facetTest(got[1], filters), n = entry.records;
      if (!choice.length) {   // filters only: newest first
        var all = [];
        for (var r = n - 1; r >= 0; r--) if (allow(r)) all.push(r);
        return all;
      }
      var score = new Float64Array(n), hits = new Uint8Array(n);
      choice.forEach(function (t, i) {
        var post = readShard(got[0][i], t.key);
        if (!post) return;
        var exact = 0, keep = 0;
        post.spellings.forEach(function (s, bit) {
          if (s === t.typed) exact |= 1 << bit;
          if (!t.d || toneKey(s) === toneKey(t.typed)) keep |= 1 << bit;
        });
        keep |= OTHER_D;
        var weight = Math.log(1 + n / post.ids.length);
        for (var j = 0; j < post.ids.length; j++) {
          var id = post.ids[j], m = post.masks[j];
          if (t.d && !(m & keep)) continue;
          score[id] += post.scores[j] * weight * (m & exact ? 2 : 1);
          hits[id]++;
        }
      });
      pairs.forEach(function (k, i) {
        var post = readShard(got[0][choice.length + i], k);
        if (!post) return;
        var weight = Math.log(1 + n / post.ids.length);
        for (var j = 0; j < post.ids.length; j++) score[post.ids[j]] += post.scores[j] * weight;
      });
      var most = 0, found = [];
      for (var id = 0; id < n; id++) if (hits[id] > most && allow(id)) most = hits[id];
      if (!most) return [];
      for (id = 0; id < n; id++) if (hits[id] === most && allow(id)) found.push(id);
      return found.sort(function (a, b) { return score[b] - score[a] || b - a; });
    });
  }
  function facetTest(facets, filters) {
    var tests = FACETS.map(function (f, i) {
      if (!(f in filters)) return -1;
      return entry.labels[f].indexOf(filters[f]) + 1;   // 0 (a value the index does not list) matches nothing
    });
    if (!facets) return function () { return true; };
    return function (id) {
      for (var i = 0; i < 4; i++) if (tests[i] >= 0 && facets[id * 4 + i] !== tests[i]) return false;
      return true;
    };
  }

  // --- showing results ------------------------------------------------------------------
  function matches(word) {
    var key = fold(word);
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (t.number ? compact(word) === t.key : key === t.key && (!t.d || toneKey(word) === toneKey(t.typed))) return true;
    }
    return false;
  }
  // Text with the query's words marked, in the text's own diacritics. A number not asked for
  // is looked at word by word ("61/2018/NĐ-CP" has the words 61, 2018, nđ, cp).
  var NUMBER_PIECE = /\d+(?:\s?[\/\-\u2013]\s?[0-9A-Za-zĐđ]+)+/g;
  var WORD_PIECE = /[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+/g;
  function hits(text) {   // [start, end] of every matching piece, in order
    var found = [], m, from = 0;
    function wordsIn(a, b) {
      var w, part = text.slice(a, b);
      WORD_PIECE.lastIndex = 0;
      while ((w = WORD_PIECE.exec(part))) if (matches(w[0])) found.push([a + w.index, a + w.index + w[0].length]);
    }
    NUMBER_PIECE.lastIndex = 0;
    while ((m = NUMBER_PIECE.exec(text))) {
      wordsIn(from, m.index);
      if (matches(m[0])) found.push([m.index, m.index + m[0].length]);
      else wordsIn(m.index, m.index + m[0].length);
      from = m.index + m[0].length;
      NUMBER_PIECE.lastIndex = from;
    }
    wordsIn(from, text.length);
    return found;
  }
  function marked(text) {
    var frag = document.createDocumentFragment(), last = 0;
    hits(text).forEach(function (h) {
      frag.appendChild(document.createTextNode(text.slice(last, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      frag.appendChild(mark);
      last = h[1];
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }
  function hasMatch(piece) { return hits(piece).length > 0; }

  function excerpt(text) {
    var parts = text.split(/\s+/).filter(Boolean), best = 0, bestCount = -1, hit = parts.map(hasMatch);
    for (var i = 0; i < parts.length; i++) {
      if (!hit[i]) continue;
      var start = Math.max(0, i - 6), count = 0;
      for (var j = start; j < Math.min(parts.length, start + WINDOW); j++) if (hit[j]) count++;
      if (count > bestCount) { best = start; bestCount = count; }
    }
    var end = Math.min(parts.length, best + WINDOW);
    var p = document.createElement("p");
    p.className = "search-excerpt";
    p.appendChild(marked((best > 0 ? "… " : "") + parts.slice(best, end).join(" ") + (end < parts.length ? " …" : "")));
    return p;
  }

  function link(url) {
    var href = root + url;
    return disk && /\/$/.test(href) ? href + "index.html" : href;
  }

  function item(r) {   // r: [title, url, kind, meta, excerpt source] (search.py _chunk)
    var li = document.createElement("li");
    li.className = "search-result";
    var kind = document.createElement("p");
    kind.className = "search-kind";
    kind.textContent = entry.labels.loai[r[2]];
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = link(r[1]);
    a.appendChild(marked(r[0]));
    h.appendChild(a);
    li.appendChild(kind);
    li.appendChild(h);
    if (r[3]) {
      var facts = document.createElement("p");
      facts.className = "meta";
      facts.textContent = r[3];
      li.appendChild(facts);
    }
    li.appendChild(excerpt(r[4]));
    return li;
  }

  function showMore(gen, fresh) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    var chunks = batch.map(function (id) { return fetchFile(entry.chunks[Math.floor(id / entry.chunk)], "json"); });
    return Promise.all(chunks).then(function (data) {
      if (gen !== generation) return;
      if (fresh) list.textContent = "";
      batch.forEach(function (id, i) { list.appendChild(item(data[i][id % entry.chunk])); });
      more.hidden = shown >= results.length;
    });
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

  function run(push) {
    clearTimeout(timer);
    remember(push);
    var query = input.value.trim(), f = chosen(), gen = ++generation;
    if (!entry) return;
    if (!query && !Object.keys(f).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    performance.mark("tim-kiem:tim");
    var choices = prepare(query);
    (function attempt(n) {
      return rank(choices[n], f).then(function (found) {
        if (gen !== generation) return;
        if (!found.length && n + 1 < choices.length) return attempt(n + 1);
        terms = choices[n];
        results = found;
        shown = 0;
        var about = query ? " cho “" + query + "”" : "";
        return showMore(gen, true).then(function () {
          if (gen !== generation) return;
          status.textContent = results.length
            ? "Tìm thấy " + results.length + " kết quả" + about + "."
            : "Không tìm thấy kết quả nào" + about + ". Hãy thử từ khóa ngắn hơn, gõ không dấu, hoặc bỏ bớt bộ lọc.";
          performance.measure("tim-kiem:ket-qua", "tim-kiem:tim");   // read by the tests: time to first results
        });
      });
    })(0).catch(fail);
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

  function fillFilters() {
    selects.forEach(function (s) {
      var f = s.getAttribute("data-filter"), labels = entry.labels[f] || [], counts = entry.counts[f] || [];
      labels.forEach(function (v, i) { if (counts[i]) s.appendChild(new Option(v + " (" + counts[i] + ")", v)); });
    });
    filterBox.hidden = false;
  }

  function fail() {
    status.textContent = "";
    var box = document.getElementById("tim-kiem-loi");
    // A copy opened from a folder (file://): the browser refuses to read the index files, so
    // say plainly that search needs the portal, instead of "could not load".
    if (location.protocol === "file:" && box.getAttribute("data-disk")) {
      box.firstElementChild.textContent = box.getAttribute("data-disk");
    }
    box.hidden = false;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(false); }, 250); });
  selects.forEach(function (s) { s.addEventListener("change", function () { run(true); }); });
  more.addEventListener("click", function () { showMore(generation); });
  window.addEventListener("popstate", function () { fromAddress(); run(false); });

  fromAddress();
  if (input.value) status.textContent = "Đang tìm…";
  fetch(entryUrl).then(function (r) {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  }).then(function (e) {
    entry = e;
    fillFilters();
    selectsFromAddress();
    run(false);
  }).catch(fail);
})();
