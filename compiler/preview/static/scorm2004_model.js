/* coursec preview: the SCORM 2004 4th Edition data model and error codes (spec-sheet
 * §2.3-2.6).  Interactions are readable; a new interaction needs its id first and its type
 * before responses (408); values nobody set read back as 403; suspend_data <= 64,000. */
(function (root) {
  "use strict";
  var P = root.CoursecPreview;
  var codes = {
    argument: "201", again: "103", getEmpty: "301", setEmpty: "351", setKeyword: "404",
    undefinedElement: "401", writeOnly: "405", readOnly: "404", typeMismatch: "406", tooLong: "406",
    outOfRange: "407", noChildren: "301", noCount: "301", badIndex: "351", badIndexGet: "301",
    notInitialized: "403", dependency: "408",
    before: { finish: "112", get: "122", set: "132", commit: "142" },
    after: { init: "104", finish: "113", get: "123", set: "133", commit: "143" }
  };
  var errors = {
    "0": "No Error", "101": "General Exception", "102": "General Initialization Failure",
    "103": "Already Initialized", "104": "Content Instance Terminated", "111": "General Termination Failure",
    "112": "Termination Before Initialization", "113": "Termination After Termination",
    "122": "Retrieve Data Before Initialization", "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization", "133": "Store Data After Termination",
    "142": "Commit Before Initialization", "143": "Commit After Termination", "201": "General Argument Error",
    "301": "General Get Failure", "351": "General Set Failure", "391": "General Commit Failure",
    "401": "Undefined Data Model Element", "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized", "404": "Data Model Element Is Read Only",
    "405": "Data Model Element Is Write Only", "406": "Data Model Element Type Mismatch",
    "407": "Data Model Element Value Out Of Range", "408": "Data Model Dependency Not Established"
  };
  var c = P.checks(codes);
  var real = c.number(null, null);
  var longId = c.regex(/^\S{1,4000}$/);
  var duration = function (v) {
    return /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/.test(v) && v !== "P" && !/T$/.test(v) ? null : codes.typeMismatch;
  };
  var time = c.regex(/^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$/);
  var TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance", "sequencing", "numeric", "other"];
  var NAV = /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^}\s]+\}(choice|jump))$/;

  /* learner_response / pattern by interaction type (table 2.5), loosely. */
  function response(value, element, values) {
    var type = values[element.replace(/\.(learner_response|correct_responses\.\d+\.pattern)$/, ".type")];
    var ids = function (sep) { return value.split(sep).every(function (x) { return /^\S+$/.test(x); }); };
    var ok = {
      "true-false": value === "true" || value === "false",
      choice: value === "" || (ids("[,]") && new Set(value.split("[,]")).size === value.split("[,]").length),
      likert: /^\S*$/.test(value), sequencing: ids("[,]"), matching: ids("[,]"),
      numeric: /^-?(\d+\.?\d*|\.\d+)?(\[:\]-?(\d+\.?\d*|\.\d+)?)?$/.test(value)
    }[type];
    if (ok === false) return codes.typeMismatch;
    return value.length <= 4000 ? null : codes.typeMismatch;
  }

  var rule = P.model([
    ["cmi.completion_status", "rw", c.vocab(["completed", "incomplete", "not attempted", "unknown"])],
    ["cmi.success_status", "rw", c.vocab(["passed", "failed", "unknown"])],
    ["cmi.score.scaled", "rw", c.number(-1, 1)], ["cmi.score.raw", "rw", real],
    ["cmi.score.min", "rw", real], ["cmi.score.max", "rw", real],
    ["cmi.progress_measure", "rw", c.number(0, 1)], ["cmi.completion_threshold", "ro"],
    ["cmi.scaled_passing_score", "ro"], ["cmi.location", "rw", c.text(1000)],
    ["cmi.suspend_data", "rw", c.text(64000)], ["cmi.session_time", "wo", duration], ["cmi.total_time", "ro"],
    ["cmi.exit", "wo", c.vocab(["time-out", "suspend", "logout", "normal", ""])], ["cmi.entry", "ro"],
    ["cmi.mode", "ro"], ["cmi.credit", "ro"], ["cmi.learner_id", "ro"], ["cmi.learner_name", "ro"],
    ["cmi.launch_data", "ro"], ["cmi.max_time_allowed", "ro"], ["cmi.time_limit_action", "ro"],
    ["cmi.learner_preference.audio_level", "rw", c.number(0, null)], ["cmi.learner_preference.language", "rw", c.text(250)],
    ["cmi.learner_preference.delivery_speed", "rw", c.number(0, null)],
    ["cmi.learner_preference.audio_captioning", "rw", c.vocab(["-1", "0", "1"])],
    ["cmi.comments_from_learner.n.comment", "rw", c.text(4000)],
    ["cmi.comments_from_learner.n.location", "rw", c.text(250)],
    ["cmi.comments_from_learner.n.timestamp", "rw", time],
    ["cmi.comments_from_lms.n.comment", "ro"], ["cmi.comments_from_lms.n.location", "ro"],
    ["cmi.comments_from_lms.n.timestamp", "ro"],
    ["cmi.objectives.n.id", "rw", longId], ["cmi.objectives.n.score.scaled", "rw", c.number(-1, 1)],
    ["cmi.objectives.n.score.raw", "rw", real], ["cmi.objectives.n.score.min", "rw", real],
    ["cmi.objectives.n.score.max", "rw", real],
    ["cmi.objectives.n.success_status", "rw", c.vocab(["passed", "failed", "unknown"])],
    ["cmi.objectives.n.completion_status", "rw", c.vocab(["completed", "incomplete", "not attempted", "unknown"])],
    ["cmi.objectives.n.progress_measure", "rw", c.number(0, 1)], ["cmi.objectives.n.description", "rw", c.text(250)],
    ["cmi.interactions.n.id", "rw", longId], ["cmi.interactions.n.type", "rw", c.vocab(TYPES)],
    ["cmi.interactions.n.objectives.n.id", "rw", longId], ["cmi.interactions.n.timestamp", "rw", time],
    ["cmi.interactions.n.correct_responses.n.pattern", "rw", response],
    ["cmi.interactions.n.weighting", "rw", real], ["cmi.interactions.n.learner_response", "rw", response],
    ["cmi.interactions.n.result", "rw", c.either(c.vocab(["correct", "incorrect", "unanticipated", "neutral"]), real)],
    ["cmi.interactions.n.latency", "rw", duration], ["cmi.interactions.n.description", "rw", c.text(250)],
    ["adl.nav.request", "rw", c.regex(NAV)],
    ["adl.nav.request_valid.continue", "ro"], ["adl.nav.request_valid.previous", "ro"]
  ]);
  var children = {
    "cmi.score": "scaled,raw,min,max", "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.comments_from_learner": "comment,location,timestamp", "cmi.comments_from_lms": "comment,location,timestamp",
    "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
    "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"
  };

  /* A record's id first (408); an interaction's type before its responses (408). */
  function dependencyError(element, values) {
    var m = /^(cmi\.(?:interactions|objectives)\.\d+)\.(.+)$/.exec(element);
    if (!m || m[2] === "id") return null;
    if (!Object.prototype.hasOwnProperty.call(values, m[1] + ".id")) return codes.dependency;
    if (/^(learner_response|correct_responses\.)/.test(m[2]) && !values[m[1] + ".type"]) return codes.dependency;
    return null;
  }

  /* The LMS decides success_status from the scaled passing score when there is one (§2.4). */
  function computed(element, values) {
    if (element !== "cmi.success_status" || values["cmi.scaled_passing_score"] === undefined) return null;
    if (values["cmi.score.scaled"] === undefined) return "unknown";
    return parseFloat(values["cmi.score.scaled"]) >= parseFloat(values["cmi.scaled_passing_score"]) ? "passed" : "failed";
  }

  function seconds(iso) {
    var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso || "");
    return m ? (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + parseFloat(m[4] || 0) : 0;
  }

  P.scorm2004 = {
    name: "scorm2004", apiName: "API_1484_11", version: "1.0", codes: codes, errors: errors, rule: rule,
    children: children, dependencyError: dependencyError, computed: computed,
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses",
      "cmi.comments_from_learner", "cmi.comments_from_lms"],
    fn: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
      lastError: "GetLastError", errorString: "GetErrorString", diagnostic: "GetDiagnostic" },
    statusElement: "cmi.completion_status", exitElement: "cmi.exit",
    initialValues: function (launch) {
      var saved = (launch.saved && launch.saved.cmi) || {};
      var resume = saved["cmi.exit"] === "suspend";
      var total = seconds(saved["cmi.total_time"]) + seconds(saved["cmi.session_time"]);
      var values = {
        "cmi.learner_id": launch.learnerId, "cmi.learner_name": launch.learnerName, "cmi.credit": "credit",
        "cmi.mode": "normal", "cmi.entry": resume ? "resume" : (launch.saved ? "" : "ab-initio"),
        "cmi.completion_status": saved["cmi.completion_status"] || "unknown",
        "cmi.success_status": saved["cmi.success_status"] || "unknown",
        "cmi.total_time": "PT" + Math.round(total * 100) / 100 + "S", "cmi.launch_data": launch.launchData || "",
        "adl.nav.request": "_none_", "adl.nav.request_valid.continue": "unknown", "adl.nav.request_valid.previous": "unknown"
      };
      if (launch.masteryScore !== null && launch.masteryScore !== undefined) values["cmi.scaled_passing_score"] = String(launch.masteryScore);
      if (resume) {
        ["cmi.location", "cmi.suspend_data", "cmi.score.scaled", "cmi.score.raw", "cmi.score.min", "cmi.score.max",
          "cmi.progress_measure"].forEach(function (k) { if (saved[k] !== undefined) values[k] = saved[k]; });
      }
      return values;
    }
  };
})(typeof window !== "undefined" ? window : this);
