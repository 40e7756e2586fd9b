/* adapter local: progress kept in the browser (web target, or no LMS found).
 * localStorage, else sessionStorage, else memory (said in the console). */
(function () {
  "use strict";
  var C = window.Coursec;

  function pickStorage() {
    var names = ["localStorage", "sessionStorage"];
    for (var i = 0; i < names.length; i++) {
      try {
        var store = window[names[i]];
        store.setItem("coursec:probe", "1");
        store.removeItem("coursec:probe");
        return store;
      } catch (err) {
        C.warn(names[i] + " is not available", err.message);
      }
    }
    C.warn("progress is kept in memory only and is lost when the page closes");
    var memory = {};
    return {
      getItem: function (k) { return k in memory ? memory[k] : null; },
      setItem: function (k, v) { memory[k] = String(v); }
    };
  }

  function LocalAdapter() {
    this.name = "local";
    this.key = "coursec:" + C.config.course.id;
    this.store = pickStorage();
    this.finished = false;
    this.record = {};
  }

  LocalAdapter.prototype.start = function () {
    try {
      this.record = JSON.parse(this.store.getItem(this.key) || "{}") || {};
    } catch (err) {
      this.record = {};
    }
    var params = new URLSearchParams(window.location.search);
    return {
      entry: this.record.suspendData ? "resume" : "ab-initio",
      location: this.record.location || "",
      suspendData: this.record.suspendData || "",
      launchData: params.get("cohort") ? "cohort=" + params.get("cohort") : ""
    };
  };

  LocalAdapter.prototype.onEvent = function () {};

  LocalAdapter.prototype.save = function (snapshot) {
    this.record = {
      location: snapshot.location, suspendData: snapshot.suspendData,
      complete: snapshot.complete, success: snapshot.success,
      score: snapshot.score ? snapshot.score.scaled : null
    };
    this.commit();
  };

  LocalAdapter.prototype.commit = function () {
    try {
      this.store.setItem(this.key, JSON.stringify(this.record));
    } catch (err) {
      C.warn("could not keep progress in this browser", err.message);
    }
  };

  LocalAdapter.prototype.finish = function (snapshot) {
    if (this.finished) return;
    this.save(snapshot);
    this.finished = true;
  };

  C.adapters.local = { create: function () { return new LocalAdapter(); } };
})();
