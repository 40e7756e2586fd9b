/* coursec preview: the SCORM 1.2 data model and error codes (spec-sheet §1.2-1.4).
 * Interactions are write-only except _count; suspend_data holds at most 4,096 characters;
 * scores are blank or 0-100; session_time is HHHH:MM:SS.SS; result uses "wrong". */
(function (root) {
  "use strict";
  var P = root.CoursecPreview;
  var codes = {
    argument: "201", again: "101", getEmpty: "201", setEmpty: "201", setKeyword: "402",
    undefinedElement: "401", writeOnly: "404", readOnly: "403", typeMismatch: "405", tooLong: "405",
    outOfRange: "405", noChildren: "202", noCount: "203", badIndex: "201", notInitialized: null,
    before: { finish: "301", get: "301", set: "301", commit: "301" },
    after: { init: "101", finish: "301", get: "301", set: "301", commit: "301" }
  };
  var errors = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "202": "Element cannot have children", "203": "Element not an array - cannot have count",
    "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
    "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type"
  };
  var c = P.checks(codes);
  var STATUS = ["passed", "completed", "failed", "incomplete", "browsed"];
  var identifier = c.regex(/^[\x21-\x7e]{1,255}$/);
  var score = c.number(0, 100, true);
  var timespan = c.regex(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
  var time = c.regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/);
  var rule = P.model([
    ["cmi.core.student_id", "ro"], ["cmi.core.student_name", "ro"],
    ["cmi.core.lesson_location", "rw", c.text(255)], ["cmi.core.credit", "ro"],
    ["cmi.core.lesson_status", "rw", c.vocab(STATUS)], ["cmi.core.entry", "ro"],
    ["cmi.core.score.raw", "rw", score], ["cmi.core.score.min", "rw", score], ["cmi.core.score.max", "rw", score],
    ["cmi.core.total_time", "ro"], ["cmi.core.lesson_mode", "ro"],
    ["cmi.core.exit", "wo", c.vocab(["time-out", "suspend", "logout", ""])],
    ["cmi.core.session_time", "wo", timespan],
    ["cmi.suspend_data", "rw", c.text(4096)], ["cmi.launch_data", "ro"],
    ["cmi.comments", "rw", c.text(4096)], ["cmi.comments_from_lms", "ro"],
    ["cmi.student_data.mastery_score", "ro"], ["cmi.student_data.max_time_allowed", "ro"],
    ["cmi.student_data.time_limit_action", "ro"],
    ["cmi.student_preference.audio", "rw", c.number(-1, 100)], ["cmi.student_preference.language", "rw", c.text(255)],
    ["cmi.student_preference.speed", "rw", c.number(-100, 100)], ["cmi.student_preference.text", "rw", c.number(-1, 1)],
    ["cmi.objectives.n.id", "rw", identifier],
    ["cmi.objectives.n.score.raw", "rw", score], ["cmi.objectives.n.score.min", "rw", score],
    ["cmi.objectives.n.score.max", "rw", score],
    ["cmi.objectives.n.status", "rw", c.vocab(STATUS.concat(["not attempted"]))],
    ["cmi.interactions.n.id", "wo", identifier],
    ["cmi.interactions.n.objectives.n.id", "wo", identifier],
    ["cmi.interactions.n.time", "wo", time],
    ["cmi.interactions.n.type", "wo", c.vocab(["true-false", "choice", "fill-in", "matching", "performance",
      "sequencing", "likert", "numeric"])],
    ["cmi.interactions.n.correct_responses.n.pattern", "wo", c.text(255)],
    ["cmi.interactions.n.weighting", "wo", c.number(null, null)],
    ["cmi.interactions.n.student_response", "wo", c.text(255)],
    ["cmi.interactions.n.result", "wo", c.either(c.vocab(["correct", "wrong", "unanticipated", "neutral"]), c.number(null, null))],
    ["cmi.interactions.n.latency", "wo", timespan]
  ]);
  var children = {
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
    "cmi.objectives": "id,score,status",
    "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
  };

  /* Session 1.2 time "HHHH:MM:SS.SS" <-> seconds. */
  function seconds(span) {
    var m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span || "");
    return m ? parseInt(m[1], 10) * 3600 + parseInt(m[2], 10) * 60 + parseFloat(m[3]) : 0;
  }
  function timespanOf(total) {
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    function two(x) { return (x < 10 ? "0" : "") + x; }
    return (h < 10 ? "000" : h < 100 ? "00" : h < 1000 ? "0" : "") + h + ":" + two(m) + ":" + two(Math.floor(s)) +
      "." + two(Math.round((s % 1) * 100) % 100);
  }

  P.scorm12 = {
    name: "scorm12", apiName: "API", version: null, codes: codes, errors: errors, rule: rule, children: children,
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"],
    fn: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      lastError: "LMSGetLastError", errorString: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" },
    dependencyError: function () { return null; },
    statusElement: "cmi.core.lesson_status", exitElement: "cmi.core.exit",
    /* A launch: {learnerId, learnerName, launchData, masteryScore, saved: previous record or null}. */
    initialValues: function (launch) {
      var saved = (launch.saved && launch.saved.cmi) || {};
      var resume = saved["cmi.core.exit"] === "suspend";
      var total = seconds(saved["cmi.core.total_time"]) + seconds(saved["cmi.core.session_time"]);
      var values = {
        "cmi.core.student_id": launch.learnerId, "cmi.core.student_name": launch.learnerName,
        "cmi.core.credit": "credit", "cmi.core.lesson_mode": "normal",
        "cmi.core.lesson_status": saved["cmi.core.lesson_status"] || "not attempted",
        "cmi.core.entry": resume ? "resume" : (launch.saved ? "" : "ab-initio"),
        "cmi.core.total_time": timespanOf(total), "cmi.launch_data": launch.launchData || "",
        "cmi.comments_from_lms": "", "cmi.student_data.mastery_score":
          launch.masteryScore === null || launch.masteryScore === undefined ? "" : String(Math.round(launch.masteryScore * 100)),
        "cmi.core.lesson_location": resume ? saved["cmi.core.lesson_location"] || "" : "",
        "cmi.suspend_data": resume ? saved["cmi.suspend_data"] || "" : "",
        "cmi.core.score.raw": saved["cmi.core.score.raw"] || "", "cmi.core.score.min": saved["cmi.core.score.min"] || "",
        "cmi.core.score.max": saved["cmi.core.score.max"] || ""
      };
      return values;
    }
  };
})(typeof window !== "undefined" ? window : this);
