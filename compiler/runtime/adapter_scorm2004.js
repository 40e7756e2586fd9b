/* adapter scorm2004: SCORM 2004 4th Edition through window.API_1484_11.
 * Interaction ids are the activity IRIs; responses use the option ids; reflections and
 * artifacts are long-fill-in ({lang=..} + one line, truncated to 4,000 characters). */
(function () {
  "use strict";
  var C = window.Coursec;
  var REAL = /^-?\d{1,10}(\.\d{1,18})?$/;
  var RULES = [
    [/^cmi\.completion_status$/, /^(completed|incomplete|not attempted|unknown)$/],
    [/^cmi\.success_status$/, /^(passed|failed|unknown)$/],
    [/^cmi\.score\.scaled$/, function (v) { return REAL.test(v) && Math.abs(Number(v)) <= 1; }],
    [/^cmi\.score\.(raw|min|max)$/, REAL],
    [/^cmi\.progress_measure$/, function (v) { return REAL.test(v) && Number(v) >= 0 && Number(v) <= 1; }],
    [/^cmi\.location$/, function (v) { return v.length <= 1000; }],
    [/^cmi\.suspend_data$/, function (v) { return v.length <= 64000; }],
    [/^cmi\.session_time$/, /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$/],
    [/^cmi\.exit$/, /^(time-out|suspend|logout|normal|)$/],
    [/^cmi\.interactions\.\d+\.id$/, /^\S{1,4000}$/],
    [/^cmi\.interactions\.\d+\.type$/, /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/],
    [/^cmi\.interactions\.\d+\.(learner_response|correct_responses\.0\.pattern)$/, /^(?!\{(?!lang=)).{0,4000}$/],
    [/^cmi\.interactions\.\d+\.result$/, /^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/]
  ];

  function valid(element, value) {
    for (var i = 0; i < RULES.length; i++) {
      if (RULES[i][0].test(element)) {
        var rule = RULES[i][1];
        return typeof rule === "function" ? rule(value) : rule.test(value);
      }
    }
    return false;
  }

  /* ISO 8601 duration PT#H#M#S (at most 2 decimals on the seconds). */
  function sessionTime(ms) {
    var centis = Math.max(0, Math.round(ms / 10));
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = (centis % 6000) / 100;
    return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + seconds.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  var DIALECT = {
    name: "scorm2004",
    eventFields: eventFields,  // learner event -> interaction fields, or null
    fn: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate" },
    el: {
      entry: "cmi.entry", location: "cmi.location", suspend: "cmi.suspend_data", launchData: "cmi.launch_data",
      status: "cmi.completion_status", interactionCount: "cmi.interactions._count",
      sessionTime: "cmi.session_time", exit: "cmi.exit"
    },
    responseField: "learner_response",
    locationLimit: 1000,
    suspendLimit: 64000,
    exitComplete: "normal",
    valid: valid,
    sessionTime: sessionTime
  };

  function langTag() {
    var tag = String(C.config.course.language || "en").split("-")[0];
    return /^[a-zA-Z]{1,8}$/.test(tag) ? tag : "en";
  }

  function questionFields(d) {
    var q = d.question;
    return {
      id: d.block.iri + "/" + q.id,
      type: q.type === "true-false" ? "true-false" : "choice",
      pattern: q.correct.join("[,]"),
      response: d.answer.map(function (i) { return q.options[i]; }).join("[,]"),
      result: d.correct ? "correct" : "incorrect"
    };
  }

  function eventFields(type, d) {
    switch (type) {
      case "question answered": return questionFields(d);
      case "choice made":
        return { id: d.block.iri + "/" + d.step.id, type: "choice", response: d.choice.target, result: "neutral" };
      case "survey item answered":
        return { id: d.block.iri + "/" + d.item.id, type: "likert", response: String(d.value), result: "neutral" };
      case "reflection submitted":
      case "artifact submitted":
        var prefix = "{lang=" + langTag() + "}";
        return { id: d.block.iri, type: "long-fill-in", response: prefix + C.flattenText(d.text, 4000 - prefix.length), result: "neutral" };
      default: return null;
    }
  }

  function Scorm2004Adapter(api) {
    C.ScormAdapter.call(this, api, DIALECT);
  }
  Scorm2004Adapter.prototype = Object.create(C.ScormAdapter.prototype);

  Scorm2004Adapter.prototype.save = function (snapshot) {
    this.saveState(snapshot);
    this.setChanged("cmi.progress_measure", String(Math.round(snapshot.progress * 10000) / 10000));
    if (snapshot.score !== null) {
      this.setChanged("cmi.score.min", "0");
      this.setChanged("cmi.score.max", String(snapshot.score.max));
      this.setChanged("cmi.score.raw", String(snapshot.score.raw));
      this.setChanged("cmi.score.scaled", String(Math.round(snapshot.score.scaled * 10000) / 10000));
    }
    if (snapshot.success) this.setChanged("cmi.success_status", snapshot.success);
    this.setChanged(DIALECT.el.status, snapshot.complete ? "completed" : "incomplete");
  };

  C.adapters.scorm2004 = {
    apiName: "API_1484_11",
    create: function (api) { return new Scorm2004Adapter(api); },
    sessionTime: sessionTime
  };
})();
