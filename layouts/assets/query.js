// A reader's query, read the way Vietnamese is written: whole syllables, words of two or more
// syllables (neighbours in the query are looked for as neighbours in the text), "quoted
// phrases", -exclusions, and document numbers however typed (61/2018/NĐ-CP, 61/2018,
// nd 61 2018, 61-2018-nd-cp). Shared by search.js (tim-kiem/) and documents.js (van-ban/), so
// both pages understand a query alike; cchc/search/tokens.py indexes text the same way.
// No dependencies; ES2017.
(function () {
  "use strict";
  // Letters and digits (Latin, Latin-1/Extended, combining marks, Vietnamese block), as tokens.py _WORD.
  var LETTERS = "0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0300-\\u036f\\u1e00-\\u1eff";
  var WORD = new RegExp("[" + LETTERS + "]+", "g");
  // What ends a run of neighbouring syllables: a sentence's end, a new line (tokens.py _BREAK).
  var BREAK = /[.!?;:\u2026\n]+/;
  var NUMBER = /\d+(?:\s*[\/\-\u2013]\s*[0-9A-Za-zĐđ]+)+/g;          // 61/2018/NĐ-CP, 908/QĐ-UBND, 61-2018-nd-cp
  var SPACED = /^\d+(?:[\s\/\-]+[0-9A-Za-zĐđ]{1,6})+$/;                // 61 2018 nd cp
  var YEAR = /^(19[4-9]\d|20\d\d)$/;

  function fold(s) {  // tone marks and case off, đ -> d: NFD does not decompose đ
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function toneKey(s) {  // marks off but đ kept: a word typed with đ matches only words with đ
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }
  function lower(text) { return text.normalize("NFC").toLowerCase(); }
  function words(text) { return lower(text).match(WORD) || []; }
  function compact(text) {  // tokens.py compact_number: "61 / 2018 / nđ-cp" -> "612018ndcp"
    return fold(text).replace(/[^0-9a-z]/g, "").replace(/^0+(?=\d)/, "");
  }
  function numberKey(number, year) {  // tokens.py number_key: a number and its year, "#61-2018"
    return "#" + parseInt(number, 10) + "-" + year;
  }
  // Runs of neighbouring syllables: pairs are looked for within a run, never across a comma.
  function runs(text) {
    return lower(text).split(BREAK).map(function (r) { return r.match(WORD) || []; })
      .filter(function (r) { return r.length; });
  }

  function wordTerm(w) {
    var key = fold(w);
    return { key: key, typed: w, d: /đ/.test(w), marked: key !== w, number: false };
  }
  // A pair is indexed folded only (tokens.py spellings): its syllables, terms of their own,
  // carry the đ rule and the exact spelling, so the pair itself keeps every spelling.
  function pairTerm(a, b, strict) {
    var typed = a.typed + " " + b.typed;
    return { key: a.key + " " + b.key, typed: typed, d: false, marked: a.marked || b.marked, strict: strict };
  }
  // The words of one run of the query: terms, and the pairs of neighbours.
  function addRun(choice, list, strict) {
    var terms = list.map(wordTerm);
    terms.forEach(function (t) { choice.terms.push(t); });
    for (var i = 1; i < terms.length; i++) (strict ? choice.strict : choice.pairs).push(pairTerm(terms[i - 1], terms[i], strict));
  }

  // parse(query) -> { choices: [choice, ...] }. A choice is one reading of the query:
  // { terms: the words and numbers every result must hold, pairs: the neighbours typed next to
  // each other (results holding them together come first), strict: the neighbours inside
  // quotes (required), excluded: -words, excludedPairs: the neighbours of each -"phrase" }.
  // A number's readings come first (its compact form, then its number and year); the page tries
  // the next choice when one finds nothing whole. The last choice reads every piece as words.
  function parse(query) {
    var text = query.normalize("NFC"), phrases = [], negPhrases = [], excluded = [];
    text = text.replace(/(^|\s)(-?)["“”]([^"“”]*)["“”]?/g, function (m, space, minus, inner) {
      (minus ? negPhrases : phrases).push(inner);
      return " ";
    });
    text = text.replace(/(^|\s)-(\S+)/g, function (m, space, w) { excluded.push(w); return " "; });
    var compacts = [], years = [];
    var rest = text.replace(NUMBER, function (n) {
      var c = compact(n), y = /^(\d{1,5})\s*[\/\-\u2013]\s*(\d{4})(?!\d)/.exec(n.trim());
      y = y && YEAR.test(y[2]) ? { key: numberKey(y[1], y[2]), number: true } : null;
      if (/[a-z]/.test(c)) compacts.push({ key: c, number: true });
      else if (!y) return n;   // a date or a range of years: its words
      if (y) years.push(y);
      return " ";
    });
    var choices = [];
    if (SPACED.test(text.trim()) && !compacts.length) choices.push(reading([{ key: compact(text), number: true }], ""));
    if (compacts.length) choices.push(reading(compacts, rest));
    var spaced = spacedNumber(rest);
    if (years.length || spaced) {
      choices.push(reading(years.concat(spaced ? [spaced.term] : []), spaced ? spaced.rest : rest));
    }
    choices.push(reading([], text));
    return { choices: choices };

    function reading(numberTerms, piece) {
      var choice = { terms: numberTerms.slice(), pairs: [], strict: [], excluded: [], excludedPairs: [] };
      runs(piece).forEach(function (r) { addRun(choice, r, false); });
      phrases.forEach(function (p) { runs(p).forEach(function (r) { addRun(choice, r, true); }); });
      excluded.forEach(function (w) {
        var c = compact(w);
        if (/\d/.test(c) && /[a-z]/.test(c) && /[\/\-]/.test(w)) choice.excluded.push({ key: c, number: true });
        else words(w).forEach(function (x) { choice.excluded.push(wordTerm(x)); });
      });
      negPhrases.forEach(function (p) {
        runs(p).forEach(function (r) {
          var ts = r.map(wordTerm), pairs = [];
          for (var i = 1; i < ts.length; i++) pairs.push(pairTerm(ts[i - 1], ts[i], true));
          if (pairs.length) choice.excludedPairs.push(pairs); else choice.excluded.push(ts[0]);
        });
      });
      choice.terms = dedupe(choice.terms);
      return choice;
    }
  }
  // "nd 61 2018", "nghị định 61 năm 2018": one number and one year among the words.
  function spacedNumber(text) {
    var ws = words(text), years = [], others = [];
    ws.forEach(function (w, i) {
      if (YEAR.test(w)) years.push(i); else if (/^\d{1,5}$/.test(w)) others.push(i);
    });
    if (years.length !== 1 || others.length !== 1) return null;
    var skip = [years[0], others[0]];
    // "số" and "năm" only frame the number ("nghị định số 61 năm 2018"): not words to look for.
    return { term: { key: numberKey(ws[others[0]], ws[years[0]]), number: true },
             rest: ws.filter(function (w, i) { return skip.indexOf(i) < 0 && !/^(so|nam)$/.test(fold(w)); }).join(" ") };
  }
  function dedupe(list) {   // a word typed twice is one term
    var seen = {};
    return list.filter(function (t) {
      var k = t.key + "|" + (t.typed || "");
      return seen[k] ? false : (seen[k] = true);
    });
  }

  // Does a spelling found in the text satisfy a term typed by the reader? A term typed with đ
  // keeps only spellings with đ (đ is a letter, not a mark); any other is folded.
  function keeps(t, spelling) { return !t.d || toneKey(spelling) === toneKey(t.typed); }
  // The spelling typed, marks and all: "da" is a word of its own (da giày) as "Đà" is.
  function exact(t, spelling) { return spelling === t.typed; }

  var Q = window.cchcQuery = {
    fold: fold, toneKey: toneKey, words: words, runs: runs, compact: compact, numberKey: numberKey,
    parse: parse, keeps: keeps, exact: exact, NUMBER_PIECE: /\d+(?:\s?[\/\-\u2013]\s?[0-9A-Za-zĐđ]+)+/g,
    WORD_PIECE: new RegExp("[" + LETTERS.replace("0-9a-z", "0-9A-Za-z") + "]+", "g")
  };
})();
