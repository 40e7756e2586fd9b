/* state: the learner's saved state and its compact encoding for suspend data.
 *
 * Format (no escaping needed: every string is length-prefixed):
 *   "c1" tok(version) tok(hash) tok(cohort) tok(registration) tok(bookmark) record*
 *   record  = key(3 chars) kind(1 char) payload
 *     L lesson      (present = read)
 *     S scenario    flag tok(path as base-36 step indexes joined by ".")
 *     Q quiz        tries(base 36) flag(1 = answers are the submitted ones) tok(question key + option indexes, joined by ",")
 *     V survey      flag tok(item key + scale index, joined by ",")
 *     R reflection  flag tok(text)      A artifact  flag tok(text)
 *   tok(s) = length in base 36, ":", s
 * Keys are compiled from stable ids plus the structure answers depend on, so a newer
 * course version restores what still exists and drops the rest (compiler/render/config.py).
 * The per-item costs stay within compiler/state_budget.py's upper bounds.
 */
(function () {
  "use strict";
  var C = window.Coursec;
  var KIND_CHAR = { lesson: "L", scenario: "S", quiz: "Q", survey: "V", reflection: "R", artifact: "A" };
  var MAGIC = "c1";

  function tok(s) {
    s = String(s);
    return C.b36(s.length) + ":" + s;
  }

  function Reader(text) {
    this.text = text;
    this.pos = 0;
  }
  Reader.prototype.take = function (n) {
    if (this.pos + n > this.text.length) throw new Error("truncated state");
    var part = this.text.substr(this.pos, n);
    this.pos += n;
    return part;
  };
  Reader.prototype.tok = function () {
    var colon = this.text.indexOf(":", this.pos);
    if (colon < 0 || colon - this.pos > 6) throw new Error("bad token");
    var length = parseInt(this.text.slice(this.pos, colon), 36);
    if (!(length >= 0)) throw new Error("bad token length");
    this.pos = colon + 1;
    return this.take(length);
  };
  Reader.prototype.done = function () {
    return this.pos >= this.text.length;
  };

  function emptyState() {
    return { version: C.config.course.version, hash: C.config.course.hash, cohort: "", registration: "", bookmark: "", blocks: {} };
  }

  function encodeEntries(map, valueOf) {
    return Object.keys(map).sort().map(function (key) { return key + valueOf(map[key]); }).join(",");
  }

  function encodeRecord(key, rec) {
    var head = key + rec.kind;
    switch (rec.kind) {
      case "L": return head;
      case "S": return head + (rec.done ? "1" : "0") + tok(rec.path.map(C.b36).join("."));
      case "Q": return head + C.b36(Math.min(rec.tries, 35)) + (rec.submitted ? "1" : "0") +
        tok(encodeEntries(rec.answers, function (list) { return list.map(C.b36).join(""); }));
      case "V": return head + (rec.done ? "1" : "0") + tok(encodeEntries(rec.answers, C.b36));
      default: return head + (rec.done ? "1" : "0") + tok(rec.text || "");
    }
  }

  function encode(state) {
    var out = MAGIC + tok(state.version) + tok(state.hash) + tok(state.cohort || "") +
      tok(state.registration || "") + tok(state.bookmark || "");
    Object.keys(state.blocks).sort().forEach(function (key) {
      out += encodeRecord(key, state.blocks[key]);
    });
    return out;
  }

  function decodeEntries(text, parseValue) {
    var map = {};
    if (!text) return map;
    text.split(",").forEach(function (part) {
      map[part.slice(0, 3)] = parseValue(part.slice(3));
    });
    return map;
  }
  function digits(text) {
    return text.split("").map(function (ch) { return parseInt(ch, 36); });
  }

  function decodeRecord(reader) {
    var key = reader.take(3);
    var kind = reader.take(1);
    var rec = { kind: kind };
    if (kind === "L") rec.done = true;
    else if (kind === "S") {
      rec.done = reader.take(1) === "1";
      var path = reader.tok();
      rec.path = path ? path.split(".").map(function (p) { return parseInt(p, 36); }) : [];
    } else if (kind === "Q") {
      rec.tries = parseInt(reader.take(1), 36);
      rec.submitted = reader.take(1) === "1";
      rec.answers = decodeEntries(reader.tok(), digits);
    } else if (kind === "V") {
      rec.done = reader.take(1) === "1";
      rec.answers = decodeEntries(reader.tok(), function (v) { return parseInt(v, 36); });
    } else if (kind === "R" || kind === "A") {
      rec.done = reader.take(1) === "1";
      rec.text = reader.tok();
    } else throw new Error("unknown record kind " + kind);
    return { key: key, rec: rec };
  }

  /* Parse saved text; what cannot be read is dropped, never thrown. */
  function decode(text) {
    var state = emptyState();
    if (!text) return state;
    var reader;
    try {
      if (C.Compress && C.Compress.isCompressed(text)) text = C.Compress.inflate(text);
      reader = new Reader(text);
      if (reader.take(2) !== MAGIC) throw new Error("not a coursec state");
      state.savedVersion = reader.tok();
      state.savedHash = reader.tok();
      state.cohort = reader.tok();
      state.registration = reader.tok();
      state.bookmark = reader.tok();
      while (!reader.done()) {
        var entry = decodeRecord(reader);
        state.blocks[entry.key] = entry.rec;
      }
    } catch (err) {
      C.warn("part of the saved state could not be read and was dropped", err.message);
    }
    return state;
  }

  /* Keep only records that match a block of this course version, with valid values. */
  function validRecord(block, rec) {
    if (!rec || KIND_CHAR[block.kind] !== rec.kind) return false;
    if (rec.kind === "S") {
      return rec.path.length > 0 && rec.path.every(function (i) { return i >= 0 && i < block.steps.length; });
    }
    if (rec.kind === "Q") {
      var questions = {};
      block.questions.forEach(function (q) { questions[q.key] = q; });
      Object.keys(rec.answers).forEach(function (qkey) {
        var q = questions[qkey];
        var ok = q && rec.answers[qkey].every(function (i) { return i >= 0 && i < q.options.length; });
        if (!ok) delete rec.answers[qkey];
      });
      return rec.tries >= 0;
    }
    if (rec.kind === "V") {
      var items = block.items.map(function (i) { return i.key; });
      Object.keys(rec.answers).forEach(function (ikey) {
        var v = rec.answers[ikey];
        if (items.indexOf(ikey) < 0 || !(v >= 1 && v <= block.scale)) delete rec.answers[ikey];
      });
    }
    if (rec.kind === "R" || rec.kind === "A") rec.text = String(rec.text).slice(0, block.maxChars);
    return true;
  }

  function reconcile(state) {
    var kept = {};
    C.config.modules.forEach(function (module) {
      module.blocks.forEach(function (block) {
        var rec = state.blocks[block.key];
        if (validRecord(block, rec)) kept[block.key] = rec;
      });
    });
    state.blocks = kept;
    state.version = C.config.course.version;
    state.hash = C.config.course.hash;
    if (state.cohort && C.config.cohorts.indexOf(state.cohort) < 0) state.cohort = "";
    return state;
  }

  C.State = {
    KIND_CHAR: KIND_CHAR,
    empty: emptyState,
    encode: encode,
    decode: function (text) { return reconcile(decode(text)); }
  };
})();
