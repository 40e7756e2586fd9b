/* lms: finding the LMS API and the part both SCORM adapters share.
 *
 * Every adapter implements one interface:
 *   name, start() -> {entry, location, suspendData, launchData} | null,
 *   onEvent(type, detail), save(snapshot), commit(), finish(snapshot).
 * The SCORM adapters guard every call (a function may be missing, any call may throw,
 * read-only values may come back empty) and validate every value they write themselves.
 */
(function () {
  "use strict";
  var C = window.Coursec;
  var MAX_HOPS = 500;

  function property(win, name) {
    try {
      return win && win[name] ? win[name] : null;
    } catch (err) {
      return null; /* a cross-origin frame */
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (err) {
      return null;
    }
  }

  function walk(win, name) {
    for (var hops = 0; win && hops <= MAX_HOPS; hops++) {
      var api = property(win, name);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }

  /* Parent frames first, then the opener, then the top window's opener. */
  C.findApi = function (name) {
    var api = walk(window, name);
    if (!api) api = walk(property(window, "opener"), name);
    if (!api) api = walk(property(property(window, "top"), "opener"), name);
    return api;
  };

  function ScormAdapter(api, dialect) {
    this.api = api;
    this.d = dialect;
    this.name = dialect.name;
    this.started = false;
    this.finished = false;
    this.written = {};
    this.interactionCount = 0;
    this.startedAt = Date.now();
  }

  ScormAdapter.prototype.call = function (fn, args) {
    var f = this.api && this.api[fn];
    if (typeof f !== "function") return "";
    try {
      var result = f.apply(this.api, args || []);
      return result === undefined || result === null ? "" : String(result);
    } catch (err) {
      C.warn("the LMS call " + fn + " failed", err);
      return "";
    }
  };

  ScormAdapter.prototype.get = function (element) {
    return this.call(this.d.fn.get, [element]);
  };

  ScormAdapter.prototype.set = function (element, value) {
    if (!this.started || this.finished) return false;
    value = String(value);
    if (!this.d.valid(element, value)) {
      C.warn("not writing an invalid value for " + element, value);
      return false;
    }
    return this.call(this.d.fn.set, [element, value]) === "true";
  };

  /* Set only when the value differs from what this session last wrote. */
  ScormAdapter.prototype.setChanged = function (element, value) {
    if (this.written[element] === String(value)) return;
    if (this.set(element, value)) this.written[element] = String(value);
  };

  ScormAdapter.prototype.start = function () {
    if (this.call(this.d.fn.init, [""]) !== "true") {
      C.warn("the LMS did not initialize");
      return null;
    }
    this.started = true;
    var entry = this.get(this.d.el.entry);
    /* 1.2 reads give "" without an error when unset, so a lax LMS that forgets entry=resume
       still resumes; in 2004 an unset element is error 403, so only a resume reads them. */
    var resume = entry === "resume" || (this.d.readStateAlways && entry !== "ab-initio");
    var launch = {
      entry: entry,
      location: resume ? this.get(this.d.el.location) : "",
      suspendData: resume ? this.get(this.d.el.suspend) : "",
      launchData: this.get(this.d.el.launchData),
      status: this.get(this.d.el.status)
    };
    var count = parseInt(this.get(this.d.el.interactionCount), 10);
    this.interactionCount = count > 0 ? count : 0;
    if (!launch.status || launch.status === "not attempted" || launch.status === "unknown") {
      this.setChanged(this.d.el.status, "incomplete");
    }
    return launch;
  };

  ScormAdapter.prototype.onEvent = function (type, detail) {
    var fields = this.d.eventFields(type, detail);
    if (fields) this.addInteraction(fields);
  };

  ScormAdapter.prototype.commit = function () {
    if (this.started && !this.finished) this.call(this.d.fn.commit, [""]);
  };

  ScormAdapter.prototype.saveState = function (snapshot) {
    if (snapshot.location && snapshot.location.length <= this.d.locationLimit) {
      this.setChanged(this.d.el.location, snapshot.location);
    }
    var data = snapshot.suspendData;
    if (data.length > this.d.suspendLimit && C.Compress) data = C.Compress.deflate(data);
    if (data.length > this.d.suspendLimit) {
      C.showNote(C.t("state_too_large"));
      return;
    }
    this.setChanged(this.d.el.suspend, data);
  };

  ScormAdapter.prototype.addInteraction = function (fields) {
    var prefix = "cmi.interactions." + this.interactionCount + ".";
    var ok = this.set(prefix + "id", fields.id) && this.set(prefix + "type", fields.type);
    if (!ok) return;
    this.interactionCount += 1;
    if (fields.pattern !== undefined) this.set(prefix + "correct_responses.0.pattern", fields.pattern);
    this.set(prefix + this.d.responseField, fields.response);
    if (fields.result) this.set(prefix + "result", fields.result);
  };

  ScormAdapter.prototype.finish = function (snapshot) {
    if (!this.started || this.finished) return;
    this.save(snapshot);
    this.set(this.d.el.sessionTime, this.d.sessionTime(Date.now() - this.startedAt));
    var exit = snapshot.complete ? this.d.exitComplete : "suspend";
    if (exit) this.set(this.d.el.exit, exit);
    this.call(this.d.fn.commit, [""]);
    this.finished = true;
    this.call(this.d.fn.finish, [""]);
  };

  /* Text for a fill-in response: one line, within the standard's length. */
  C.flattenText = function (text, limit) {
    return String(text || "").replace(/\s+/g, " ").trim().replace(/^\{+/, "").slice(0, limit);
  };

  C.ScormAdapter = ScormAdapter;
})();
