// Search in the browser over the index the build writes to tim-kiem/ (cchc/search/__init__.py
// explains the files). A query fetches only the index files of its own syllables and of their
// pairs, then the result details of the ten results shown. Queries are read by query.js, as the
// document filter of van-ban/ reads them: words of neighbouring syllables, "phrases", -words,
// document numbers typed any way. The results say honestly what was found: the pages holding the
// words together first; when none does, "Không tìm thấy cụm từ …" and then the looser matches,
// under their own heading. Without JavaScript, or when the index cannot be loaded, the page
// offers the category lists and the document index instead. No dependencies; ES2017.
(function () {
  "use strict";
  var form = document.getElementById("tim-kiem");
  var Q = window.cchcQuery;
  if (!form || !Q) return;
  var input = form.elements.q;
  var filterBox = form.querySelector(".search-filters");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.getElementById("so-ket-qua");
  var list = document.getElementById("ket-qua");
  var looseList = document.getElementById("ket-qua-gan-dung");
  var looseHead = document.getElementById("gan-dung");
  var looseNote = document.getElementById("gan-dung-la-gi");
  var more = document.getElementById("xem-them");
  var PAGE = 10, WINDOW = 30, OTHER_D = 0x80;
  var FACETS = ["loai", "chuyen_muc", "loai_van_ban", "nam"];   // the byte order in the facets file
  var root = form.getAttribute("data-root");
  var disk = /index\.html$/.test(root);        // a copy built --for-disk links to .../index.html
  root = root.replace(/index\.html$/, "");
  var entryUrl = new URL(form.getAttribute("data-index"), location.href);
  var dataUrl = new URL("du-lieu/", entryUrl);
  var entry = null, files = new Map(), results = [], strictCount = 0, shown = 0, terms = [], generation = 0, timer = 0;

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
  function shardOf(token) {  // encoding.py fnv: FNV-1a over UTF-8, modulo the shard count
    var h = 0x811c9dc5, bytes = new TextEncoder().encode(token);
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return entry.own[token] || entry.shards[h % entry.shards.length];
  }
  var utf8 = new TextDecoder();
  // The postings of one token in a shard (layout: encoding.py token_entry), or null.
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
  // A choice (query.js parse) -> { strict: ids of the records holding every word, the query's
  // neighbours next to each other and every quoted phrase; loose: when the query has
  // neighbours, the records holding every word but not together; when nothing holds every
  // word, the records holding the most of them; level: "found", "apart", "some" or "none" }.
  // In each list: the most neighbours found together, then the spellings typed found as typed
  // (đường before dương), then the score (field weight and frequency, rarer tokens weighing
  // more; an exact spelling counts double).
  function rank(choice, filters) {
    var tokens = [].concat(choice.terms, choice.pairs, choice.strict, choice.excluded,
                           [].concat.apply([], choice.excludedPairs));
    var wanted = tokens.map(function (t) { return fetchFile(shardOf(t.key), "bin"); });
    var needFacets = Object.keys(filters).length ? fetchFile(entry.facets, "bin") : Promise.resolve(null);
    return Promise.all([Promise.all(wanted), needFacets]).then(function (got) {
      var allow = facetTest(got[1], filters), n = entry.records, shard = 0;
      if (!tokens.length) {   // filters only: newest first
        var all = [];
        for (var r = n - 1; r >= 0; r--) if (allow(r)) all.push(r);
        return { strict: all, loose: [], level: all.length ? "found" : "none" };
      }
      var score = new Float64Array(n), hits = new Uint8Array(n), near = new Uint8Array(n), tied = new Uint8Array(n),
          exact = new Uint8Array(n), banned = new Uint8Array(n);
      // Each token's postings, calling back (id, score, spelling typed with marks found as typed)
      // for the records it keeps. An exact spelling doubles the score even unmarked (da before Đà)
      // but orders the list only when typed with marks: "thu" is rarely meant as thu.
      function each(t, visit) {
        var post = readShard(got[0][shard++], t.key);
        if (!post) return;
        var same = 0, keep = OTHER_D;
        post.spellings.forEach(function (s, bit) {
          if (Q.exact(t, s)) same |= 1 << bit;
          if (Q.keeps(t, s)) keep |= 1 << bit;
        });
        var weight = Math.log(1 + n / post.ids.length);
        for (var j = 0; j < post.ids.length; j++) {
          var m = post.masks[j];
          if (t.d && !(m & keep)) continue;
          visit(post.ids[j], post.scores[j] * weight * (m & same ? 2 : 1), t.marked && (m & same) !== 0);
        }
      }
      choice.terms.forEach(function (t) {
        each(t, function (id, s, same) { score[id] += s; hits[id]++; if (same) exact[id]++; });
      });
      choice.pairs.forEach(function (t) {
        each(t, function (id, s, same) { score[id] += s; near[id]++; if (same) exact[id]++; });
      });
      choice.strict.forEach(function (t) {
        each(t, function (id, s, same) { score[id] += s; tied[id]++; if (same) exact[id]++; });
      });
      // -word typed with marks excludes that spelling only (-tuyên keeps "trực tuyến"); without, every one.
      choice.excluded.forEach(function (t) { each(t, function (id, s, same) { if (same || !t.marked) banned[id] = 1; }); });
      choice.excludedPairs.forEach(function (pairs) {
        var count = new Uint8Array(n);
        pairs.forEach(function (t) { each(t, function (id) { if (++count[id] === pairs.length) banned[id] = 1; }); });
      });
      var need = choice.terms.length, strict = [], apart = [], most = 0;
      for (var id = 0; id < n; id++) {
        if (!hits[id] || banned[id] || !allow(id)) continue;
        if (hits[id] === need && tied[id] === choice.strict.length) {
          (near[id] === choice.pairs.length ? strict : apart).push(id);
        }
        if (hits[id] > most) most = hits[id];
      }
      // Most neighbours together first (the looser list: "mô hình một cửa" kept whole beats
      // its syllables scattered), then the spellings typed, then the score.
      function order(a, b) { return near[b] - near[a] || exact[b] - exact[a] || score[b] - score[a] || b - a; }
      if (strict.length || apart.length) {
        return { strict: strict.sort(order), loose: apart.sort(order), level: strict.length ? "found" : "apart" };
      }
      var some = [];
      for (id = 0; id < n; id++) if (hits[id] === most && most && !banned[id] && allow(id)) some.push(id);
      return { strict: [], loose: some.sort(order), level: some.length ? "some" : "none" };
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
    var key = Q.fold(word);
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (t.number ? Q.compact(word) === t.key : key === t.key && Q.keeps(t, word.toLowerCase())) return true;
    }
    return false;
  }
  // Text with the query's words marked, in the text's own diacritics. A number not asked for
  // is looked at word by word ("61/2018/NĐ-CP" has the words 61, 2018, nđ, cp).
  var NUMBER_PIECE = Q.NUMBER_PIECE, WORD_PIECE = Q.WORD_PIECE;
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

  function item(r) {   // r: [title, url, kind, meta, excerpt source] (encoding.py chunk)
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

  // The next PAGE results: the strict ones in the first list, the looser ones under their heading.
  function showMore(gen, fresh) {
    var from = shown, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    var chunks = batch.map(function (id) { return fetchFile(entry.chunks[Math.floor(id / entry.chunk)], "json"); });
    return Promise.all(chunks).then(function (data) {
      if (gen !== generation) return;
      if (fresh) { list.textContent = ""; looseList.textContent = ""; }
      batch.forEach(function (id, i) {
        (from + i < strictCount ? list : looseList).appendChild(item(data[i][id % entry.chunk]));
      });
      looseHead.hidden = looseNote.hidden = !looseList.firstChild;
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
      list.textContent = looseList.textContent = status.textContent = "";
      more.hidden = looseHead.hidden = looseNote.hidden = true;
      return;
    }
    performance.mark("tim-kiem:tim");
    var choices = query ? Q.parse(query).choices : [{ terms: [], pairs: [], strict: [], excluded: [], excludedPairs: [] }];
    (function attempt(n) {
      return rank(choices[n], f).then(function (found) {
        if (gen !== generation) return;
        // A reading of a number that finds nothing whole gives way to the next (the words).
        if (found.level !== "found" && found.level !== "apart" && n + 1 < choices.length) return attempt(n + 1);
        terms = choices[n].terms;
        results = found.strict.concat(found.loose);
        strictCount = found.strict.length;
        shown = 0;
        return showMore(gen, true).then(function () {
          if (gen !== generation) return;
          status.textContent = says(found, query);
          looseNote.textContent = found.level === "some" ? "Các kết quả này chỉ có một phần các từ đã gõ."
            : "Các kết quả này có đủ các từ đã gõ nhưng không đứng liền nhau.";
          performance.measure("tim-kiem:ket-qua", "tim-kiem:tim");   // read by the tests: time to first results
        });
      });
    })(0).catch(fail);
  }

  // What the status line says: what was found, never near misses counted as results.
  function says(found, query) {
    var about = query ? " cho “" + query + "”" : "", loose = found.loose.length;
    if (found.level === "found") {
      return "Tìm thấy " + found.strict.length + " kết quả" + about + "." +
        (loose ? " Bên dưới có thêm " + loose + " kết quả gần đúng." : "");
    }
    if (found.level === "apart") {
      return "Không tìm thấy cụm từ “" + query + "”. Có " + loose + " kết quả gần đúng: có đủ các từ nhưng không đứng liền nhau.";
    }
    if (found.level === "some") {
      return "Không tìm thấy kết quả nào có đủ các từ “" + query + "”. Có " + loose + " kết quả gần đúng, chỉ có một phần các từ.";
    }
    return "Không tìm thấy kết quả nào" + about + ". Hãy thử từ khóa ngắn hơn, gõ không dấu, hoặc bỏ bớt bộ lọc.";
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

  function fail(error) {
    if (error && window.console) console.error(error);   // for whoever looks: the page shows the lists instead
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
