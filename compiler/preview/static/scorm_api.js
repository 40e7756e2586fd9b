/* coursec preview: a strict SCORM run-time API (the LMS side), shared by 1.2 and 2004.
 *
 * StrictApi(dialect, launch, hooks) keeps the CMI values of one session in a flat map
 * (element -> string) and enforces what a strict LMS enforces: the session protocol
 * (initialize once, nothing after finish), read-only / write-only elements, keywords
 * (_children, _count, _version), array indexes (a new record only at n == _count), the
 * dialect's dependency rules and each element's data type, vocabulary, range and length.
 * The dialect (scorm12_model.js, scorm2004_model.js) says the function names, error
 * codes and the data model.  hooks.onCall({fn, args, result, error}) sees every call;
 * hooks.onCommit(record) gets {cmi, exit, sessionTime} on each commit and on finish.
 */
(function (root) {
  "use strict";
  var P = (root.CoursecPreview = root.CoursecPreview || {});

  function StrictApi(dialect, launch, hooks) {
    this.d = dialect;
    this.hooks = hooks || {};
    this.state = "new"; /* new -> running -> finished */
    this.lastError = "0";
    this.values = {};
    var seed = dialect.initialValues(launch || {});
    for (var key in seed) if (Object.prototype.hasOwnProperty.call(seed, key)) this.values[key] = String(seed[key]);
    this.install();
  }

  /* Expose the dialect's eight functions on this object, each one recorded. */
  StrictApi.prototype.install = function () {
    var self = this;
    var fn = this.d.fn;
    var impl = {
      init: this.initialize, finish: this.finish, get: this.getValue, set: this.setValue, commit: this.commit,
      lastError: function () { return this.lastError; },
      errorString: function (code) { return this.d.errors[String(code)] || ""; },
      diagnostic: function (code) { return this.d.errors[String(code === "" || code === undefined ? this.lastError : code)] || ""; }
    };
    Object.keys(fn).forEach(function (role) {
      self[fn[role]] = function () {
        var args = Array.prototype.slice.call(arguments);
        var result = String(impl[role].apply(self, args));
        if (self.hooks.onCall && role !== "lastError" && role !== "errorString" && role !== "diagnostic") {
          self.hooks.onCall({ fn: fn[role], args: args, result: result, error: self.lastError });
        }
        return result;
      };
    });
  };

  StrictApi.prototype.fail = function (code, value) {
    this.lastError = String(code);
    return value === undefined ? "false" : value;
  };

  StrictApi.prototype.ok = function (value) {
    this.lastError = "0";
    return value === undefined ? "true" : value;
  };

  /* The protocol error for `role` in the current state, or null. */
  StrictApi.prototype.protocolError = function (role) {
    if (this.state === "new") return this.d.codes.before[role];
    if (this.state === "finished") return this.d.codes.after[role];
    return null;
  };

  StrictApi.prototype.initialize = function (arg) {
    if (arg !== "" && arg !== undefined) return this.fail(this.d.codes.argument);
    if (this.state === "running") return this.fail(this.d.codes.again);
    if (this.state === "finished") return this.fail(this.d.codes.after.init);
    this.state = "running";
    this.startedAt = Date.now();
    return this.ok();
  };

  StrictApi.prototype.finish = function (arg) {
    var error = this.protocolError("finish");
    if (error) return this.fail(error);
    if (arg !== "" && arg !== undefined) return this.fail(this.d.codes.argument);
    this.state = "finished";
    this.report();
    return this.ok();
  };

  StrictApi.prototype.commit = function (arg) {
    var error = this.protocolError("commit");
    if (error) return this.fail(error);
    if (arg !== "" && arg !== undefined) return this.fail(this.d.codes.argument);
    this.report();
    return this.ok();
  };

  StrictApi.prototype.report = function () {
    if (this.hooks.onCommit) this.hooks.onCommit(this.record());
  };

  /* What the LMS keeps of this session: every value (write-only ones included). */
  StrictApi.prototype.record = function () {
    return { cmi: Object.assign({}, this.values), finished: this.state === "finished" };
  };

  StrictApi.prototype.getValue = function (element) {
    var error = this.protocolError("get");
    if (error) return this.fail(error, "");
    element = String(element === undefined ? "" : element);
    if (!element) return this.fail(this.d.codes.getEmpty, "");
    var keyword = this.keyword(element);
    if (keyword) return keyword.error ? this.fail(keyword.error, "") : this.ok(keyword.value);
    var rule = this.d.rule(element);
    if (!rule) return this.fail(this.d.codes.undefinedElement, "");
    if (rule.access === "wo") return this.fail(this.d.codes.writeOnly, "");
    var computed = this.d.computed ? this.d.computed(element, this.values) : null;
    if (computed !== null) return this.ok(computed);
    if (!Object.prototype.hasOwnProperty.call(this.values, element)) {
      var index = this.indexError(element, false);
      if (index) return this.fail(index, "");
      return this.d.codes.notInitialized ? this.fail(this.d.codes.notInitialized, "") : this.ok("");
    }
    return this.ok(this.values[element]);
  };

  /* _children, _count and _version: {value} or {error}; null when not a keyword. */
  StrictApi.prototype.keyword = function (element) {
    var match = /^(.*)\.(_children|_count|_version)$/.exec(element);
    if (!match) return null;
    var base = match[1];
    if (match[2] === "_version") return base === "cmi" && this.d.version ? { value: this.d.version } : { error: this.d.codes.undefinedElement };
    if (match[2] === "_children") {
      var children = this.d.children[base];
      return children ? { value: children } : { error: this.d.codes.noChildren };
    }
    if (this.d.arrays.indexOf(base.replace(/\.\d+\./g, ".n.")) < 0) return { error: this.d.codes.noCount };
    return { value: String(this.count(base)) };
  };

  /* Records in the array `base` (e.g. "cmi.interactions" or "cmi.interactions.0.objectives"). */
  StrictApi.prototype.count = function (base) {
    var prefix = base + ".";
    var seen = {};
    for (var key in this.values) {
      if (key.indexOf(prefix) === 0) {
        var n = /^(\d+)\./.exec(key.slice(prefix.length));
        if (n) seen[n[1]] = true;
      }
    }
    return Object.keys(seen).length;
  };

  /* Each index in the element must exist already, or be the next new record when writing. */
  StrictApi.prototype.indexError = function (element, writing) {
    var parts = element.split(".");
    for (var i = 1; i < parts.length; i++) {
      if (!/^\d+$/.test(parts[i])) continue;
      var count = this.count(parts.slice(0, i).join("."));
      var n = parseInt(parts[i], 10);
      if (n > count || (n === count && !writing) || String(n) !== parts[i]) {
        return writing ? this.d.codes.badIndex : (this.d.codes.badIndexGet || this.d.codes.badIndex);
      }
    }
    return null;
  };

  StrictApi.prototype.setValue = function (element, value) {
    var error = this.protocolError("set");
    if (error) return this.fail(error);
    element = String(element === undefined ? "" : element);
    if (!element) return this.fail(this.d.codes.setEmpty);
    if (/\.(_children|_count|_version)$/.test(element)) return this.fail(this.d.codes.setKeyword);
    var rule = this.d.rule(element);
    if (!rule) return this.fail(this.d.codes.undefinedElement);
    if (rule.access === "ro") return this.fail(this.d.codes.readOnly);
    if (value === undefined || value === null) return this.fail(this.d.codes.typeMismatch);
    value = String(value);
    error = this.indexError(element, true) || this.d.dependencyError(element, this.values) ||
      rule.check(value, element, this.values);
    if (error) return this.fail(error);
    this.values[element] = value;
    return this.ok();
  };

  /* Session time as seconds from whichever format the dialect uses; the LMS adds it up. */
  StrictApi.prototype.snapshot = function () {
    return Object.assign({}, this.values);
  };

  P.StrictApi = StrictApi;

  /* Validators shared by both models: each returns an error code or null. */
  P.checks = function (codes) {
    var c = {};
    c.vocab = function (words) {
      return function (v) { return words.indexOf(v) >= 0 ? null : codes.typeMismatch; };
    };
    c.text = function (max) {
      return function (v) { return v.length <= max ? null : codes.tooLong; };
    };
    c.regex = function (re, max) {
      return function (v) { return re.test(v) && (!max || v.length <= max) ? null : codes.typeMismatch; };
    };
    c.number = function (min, max, blank) {
      return function (v) {
        if (blank && v === "") return null;
        if (!/^-?(\d+\.?\d*|\.\d+)$/.test(v)) return codes.typeMismatch;
        var x = parseFloat(v);
        return (min !== null && x < min) || (max !== null && x > max) ? codes.outOfRange : null;
      };
    };
    c.either = function (a, b) {
      return function (v, el, values) { return a(v, el, values) === null || b(v, el, values) === null ? null : codes.typeMismatch; };
    };
    return c;
  };

  /* A data model from [pattern, access, check] rows; "n" in a pattern stands for an index. */
  P.model = function (rows) {
    var compiled = rows.map(function (row) {
      var source = "^" + row[0].replace(/\./g, "\\.").replace(/\\\.n(?=\\\.|$)/g, "\\.\\d+") + "$";
      return { re: new RegExp(source), access: row[1], check: row[2] || function () { return null; } };
    });
    return function (element) {
      for (var i = 0; i < compiled.length; i++) if (compiled[i].re.test(element)) return compiled[i];
      return null;
    };
  };
})(typeof window !== "undefined" ? window : this);
