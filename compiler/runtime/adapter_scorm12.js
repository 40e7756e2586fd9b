/* adapter scorm12: SCORM 1.2 through window.API.
 * Responses are single letters (choice), t/f (true-false), one digit (likert); reflections
 * and artifacts are fill-in, flattened to one line and truncated to 255 characters (the
 * full text stays in the saved state and in xAPI statements). */
(function () {
  "use strict";
  var C = window.Coursec;
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  var DECIMAL_0_100 = function (v) { return /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100; };
  var RULES = [
    [/^cmi\.core\.lesson_status$/, /^(passed|completed|failed|incomplete|browsed)$/],
    [/^cmi\.core\.lesson_location$/, function (v) { return v.length <= 255; }],
    [/^cmi\.suspend_data$/, function (v) { return v.length <= 4096; }],
    [/^cmi\.core\.score\.(raw|min|max)$/, DECIMAL_0_100],
    [/^cmi\.core\.session_time$/, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/],
    [/^cmi\.core\.exit$/, /^(time-out|suspend|logout|)$/],
    [/^cmi\.interactions\.\d+\.id$/, /^[\x21-\x7E]{1,255}$/],
    [/^cmi\.interactions\.\d+\.type$/, /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/],
    [/^cmi\.interactions\.\d+\.(student_response|correct_responses\.0\.pattern)$/, /^.{0,255}$/],
    [/^cmi\.interactions\.\d+\.result$/, /^(correct|wrong|unanticipated|neutral|-?\d+(\.\d+)?)$/]
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

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* HHHH:MM:SS.SS (hours: 2 to 4 digits). */
  function sessionTime(ms) {
    var centis = Math.max(0, Math.round(ms / 10));
    var hours = Math.min(9999, Math.floor(centis / 360000));
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = Math.floor(centis / 100) % 60;
    var frac = centis % 100;
    return pad(hours) + ":" + pad(minutes) + ":" + pad(seconds) + "." + pad(frac);
  }

  var DIALECT = {
    name: "scorm12",
    eventFields: eventFields,  // learner event -> interaction fields, or null
    fn: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish" },
    el: {
      entry: "cmi.core.entry", location: "cmi.core.lesson_location", suspend: "cmi.suspend_data",
      launchData: "cmi.launch_data", status: "cmi.core.lesson_status", interactionCount: "cmi.interactions._count",
      sessionTime: "cmi.core.session_time", exit: "cmi.core.exit"
    },
    responseField: "student_response",
    locationLimit: 255,
    suspendLimit: 4096,
    exitComplete: "",
    readStateAlways: true,
    valid: valid,
    sessionTime: sessionTime
  };

  function itemId(module, block, item) {
    return (module.id + "/" + block.id + "/" + item).slice(0, 255);
  }

  function choiceCode(question, index) {
    if (question.type === "true-false") return question.options[index] === "true" ? "t" : "f";
    return LETTERS.charAt(index) || String(index % 10);
  }

  function questionFields(d) {
    var q = d.question;
    var correct = q.correct.map(function (id) { return choiceCode(q, q.options.indexOf(id)); });
    return {
      id: itemId(d.module, d.block, q.id),
      type: q.type === "true-false" ? "true-false" : "choice",
      pattern: correct.join(","),
      response: d.answer.map(function (i) { return choiceCode(q, i); }).join(","),
      result: d.correct ? "correct" : "wrong"
    };
  }

  function eventFields(type, d) {
    switch (type) {
      case "question answered": return questionFields(d);
      case "choice made":
        return { id: itemId(d.module, d.block, d.step.id), type: "choice", response: LETTERS.charAt(d.choiceIndex), result: "neutral" };
      case "survey item answered":
        return { id: itemId(d.module, d.block, d.item.id), type: "likert", response: C.b36(d.value), result: "neutral" };
      case "reflection submitted":
      case "artifact submitted":
        return { id: itemId(d.module, d.block, "response"), type: "fill-in", response: C.flattenText(d.text, 255), result: "neutral" };
      default: return null;
    }
  }

  function Scorm12Adapter(api) {
    C.ScormAdapter.call(this, api, DIALECT);
  }
  Scorm12Adapter.prototype = Object.create(C.ScormAdapter.prototype);

  Scorm12Adapter.prototype.save = function (snapshot) {
    this.saveState(snapshot);
    if (snapshot.score !== null) {
      this.setChanged("cmi.core.score.min", "0");
      this.setChanged("cmi.core.score.max", "100");
      this.setChanged("cmi.core.score.raw", String(Math.round(snapshot.score.scaled * 10000) / 100));
    }
    var status = snapshot.complete ? snapshot.success || "completed" : "incomplete";
    this.setChanged(DIALECT.el.status, status);
  };

  C.adapters.scorm12 = {
    apiName: "API",
    create: function (api) { return new Scorm12Adapter(api); },
    sessionTime: sessionTime
  };
})();
