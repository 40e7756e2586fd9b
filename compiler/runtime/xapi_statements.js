/* coursec xAPI statement builder: one method per event, field for field the shapes of
 * compiler/lrs/statements.py (the shapes of record; a Python test compares both).
 *
 * Every statement: a UUID id made in the browser, the actor, an ADL verb with an en-US
 * display, an Activity object, context {registration, revision = course version,
 * contextActivities {parent, grouping = the course}, extensions cohort / block-kind /
 * assessment-kind} and a UTC timestamp with milliseconds.  `table` is the generated course
 * table (compiler/runtime/xapi_table.py), `vocabulary` the generated vocabulary table.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});

  ns.uuid = function () {
    var c = root.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  };

  /* ISO 8601 duration with at most 0.01 s precision, e.g. PT4M35.14S (as iso_duration). */
  ns.isoDuration = function (seconds) {
    var centis = Math.round(Math.max(seconds || 0, 0) * 100);
    var hours = Math.floor(centis / 360000);
    var rest = centis % 360000;
    var minutes = Math.floor(rest / 6000);
    rest = rest % 6000;
    var text = "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "");
    var frac = rest % 100;
    var secs = Math.floor(rest / 100) + (frac ? ("." + (frac < 10 ? "0" : "") + frac).replace(/0+$/, "") : "");
    return text + (rest || text === "PT" ? secs + "S" : "");
  };

  function round4(x) { return Math.round(x * 10000) / 10000; }

  function score(raw, maximum, minimum) {
    minimum = minimum || 0;
    var scaled = maximum > minimum ? (raw - minimum) / (maximum - minimum) : 0;
    return { scaled: round4(scaled), raw: raw, min: minimum, max: maximum };
  }

  /* Choice component ids: the target step id; a target two choices share gets "-N" (1-based). */
  ns.choiceIds = function (step) {
    var targets = step.choices.map(function (c) { return c.target; });
    return targets.map(function (t, i) {
      return targets.indexOf(t) === targets.lastIndexOf(t) ? t : t + "-" + (i + 1);
    });
  };

  function StatementBuilder(options) {
    this.table = options.table;
    this.vocab = options.vocabulary;
    this.actor = options.actor;
    this.registration = options.registration;
    this.cohort = options.cohort || null;
    this.course = this.table.course;
  }

  StatementBuilder.prototype.lang = function (text) {
    var map = {};
    map[this.course.language || "en"] = text;
    return map;
  };

  StatementBuilder.prototype.verb = function (key) {
    var iri = this.vocab.verbs[key];
    return { id: iri, display: { "en-US": this.vocab.verbDisplay[iri] } };
  };

  StatementBuilder.prototype.iri = function (moduleId, blockId, itemId) {
    return [this.course.id, moduleId, blockId, itemId].filter(function (p) { return p !== undefined; }).join("/");
  };

  StatementBuilder.prototype.block = function (moduleId, blockId) {
    var block = this.table.blocks[moduleId + "/" + blockId];
    if (!block) throw new Error("coursec xAPI: unknown block " + moduleId + "/" + blockId);
    return block;
  };

  function activity(iri, type, name, definition) {
    var def = { type: type, name: name };
    Object.keys(definition || {}).forEach(function (k) { def[k] = definition[k]; });
    return { objectType: "Activity", id: iri, definition: def };
  }

  StatementBuilder.prototype.blockObject = function (moduleId, blockId) {
    var block = this.block(moduleId, blockId);
    return activity(this.iri(moduleId, blockId), this.vocab.blockActivityType[block.kind], this.lang(block.title));
  };

  /* The shape every statement shares (statements.py `_statement`). */
  StatementBuilder.prototype.statement = function (verbKey, object, parent, kind, assessment, result) {
    var ext = {};
    var names = this.vocab.extensions;
    if (this.cohort) ext[names.cohort] = this.cohort;
    if (kind) ext[names.block_kind] = kind;
    if (assessment) ext[names.assessment_kind] = assessment;
    var context = {
      registration: this.registration,
      revision: this.course.version,
      contextActivities: { parent: [{ id: parent }], grouping: [{ id: this.course.id }] }
    };
    if (Object.keys(ext).length) context.extensions = ext;
    var statement = { id: ns.uuid(), actor: this.actor, verb: this.verb(verbKey), object: object,
      context: context, timestamp: new Date().toISOString() };
    if (result) statement.result = result;
    return statement;
  };

  StatementBuilder.prototype.lessonExperienced = function (m, b) {
    return this.statement("experienced", this.blockObject(m, b), this.iri(m), "lesson");
  };

  StatementBuilder.prototype.lessonCompleted = function (m, b, seconds) {
    return this.statement("completed", this.blockObject(m, b), this.iri(m), "lesson",
      null, { completion: true, duration: ns.isoDuration(seconds) });
  };

  StatementBuilder.prototype.scenarioChoice = function (m, b, stepId, choiceIndex) {
    var self = this;
    var step = this.block(m, b).steps[stepId];
    var ids = ns.choiceIds(step);
    var choices = step.choices.map(function (c, i) { return { id: ids[i], description: self.lang(c.text) }; });
    var object = activity(this.iri(m, b, stepId), this.vocab.activityTypes.interaction, this.lang(stepId),
      { interactionType: "choice", choices: choices });
    return this.statement("answered", object, this.iri(m, b), "scenario", null,
      { response: ids[choiceIndex], score: { raw: step.choices[choiceIndex].score } });
  };

  StatementBuilder.prototype.scenarioCompleted = function (m, b, total, path, seconds) {
    var maximum = this.block(m, b).maxScore;
    var ext = {};
    ext[this.vocab.extensions.ending] = path[path.length - 1];
    ext[this.vocab.extensions.path] = path.join("/");
    var result = { completion: true, duration: ns.isoDuration(seconds),
      score: maximum > 0 ? score(total, maximum) : { raw: total }, extensions: ext };
    return this.statement("completed", this.blockObject(m, b), this.iri(m), "scenario", null, result);
  };

  StatementBuilder.prototype.questionAnswered = function (m, b, questionId, response) {
    var self = this;
    var quiz = this.block(m, b);
    var question = quiz.questions[questionId];
    var type = question.type === "true-false" ? "true-false" : "choice";
    var definition = { interactionType: type, correctResponsesPattern: [question.correct.join("[,]")] };
    if (type === "choice") {
      definition.choices = question.options.map(function (o) { return { id: o.id, description: self.lang(o.text) }; });
    }
    var object = activity(this.iri(m, b, questionId), this.vocab.activityTypes.interaction, this.lang(questionId), definition);
    var success = response.slice().sort().join(",") === question.correct.slice().sort().join(",");
    return this.statement("answered", object, this.iri(m, b), "quiz", quiz.assessment,
      { response: response.join("[,]"), success: success });
  };

  StatementBuilder.prototype.quizFinished = function (m, b, raw, maximum, seconds, mastery) {
    var quiz = this.block(m, b);
    var s = score(raw, maximum);
    var result = { score: s, completion: true, duration: ns.isoDuration(seconds) };
    var verb = "completed";
    if (mastery !== null && mastery !== undefined) {
      result.success = s.scaled >= mastery;
      verb = result.success ? "passed" : "failed";
    }
    return this.statement(verb, this.blockObject(m, b), this.iri(m), "quiz", quiz.assessment, result);
  };

  StatementBuilder.prototype.surveyAnswered = function (m, b, itemId, value) {
    var self = this;
    var survey = this.block(m, b);
    var scale = survey.scale.map(function (label, i) { return { id: String(i + 1), description: self.lang(label) }; });
    var object = activity(this.iri(m, b, itemId), this.vocab.activityTypes.interaction, this.lang(survey.items[itemId]),
      { interactionType: "likert", scale: scale });
    return this.statement("answered", object, this.iri(m, b), "survey", survey.assessment, { response: String(value) });
  };

  StatementBuilder.prototype.textResult = function (text, seconds) {
    var ext = {};
    ext[this.vocab.extensions.words] = text.split(/\s+/).filter(Boolean).length;
    return { response: text, completion: true, duration: ns.isoDuration(seconds), extensions: ext };
  };

  StatementBuilder.prototype.reflectionResponded = function (m, b, text, seconds) {
    var object = this.blockObject(m, b);
    object.definition.interactionType = "long-fill-in";
    return this.statement("responded", object, this.iri(m), "reflection", null, this.textResult(text, seconds));
  };

  StatementBuilder.prototype.artifactCreated = function (m, b, text, seconds) {
    return this.statement("created", this.blockObject(m, b), this.iri(m), "artifact", null, this.textResult(text, seconds));
  };

  StatementBuilder.prototype.moduleCompleted = function (m, seconds) {
    var object = activity(this.iri(m), this.vocab.activityTypes.module, this.lang(this.table.modules[m].title));
    return this.statement("completed", object, this.course.id, null, null,
      { completion: true, duration: ns.isoDuration(seconds) });
  };

  StatementBuilder.prototype.courseCompleted = function (seconds, scaled, success) {
    var object = activity(this.course.id, this.vocab.activityTypes.course, this.lang(this.course.title));
    var result = { completion: true, duration: ns.isoDuration(seconds) };
    var verb = "completed";
    if (scaled !== null && scaled !== undefined) result.score = { scaled: round4(scaled) };
    if (success !== null && success !== undefined) {
      result.success = success;
      verb = success ? "passed" : "failed";
    }
    return this.statement(verb, object, this.course.id, null, null, result);
  };

  ns.StatementBuilder = StatementBuilder;
})(typeof window !== "undefined" ? window : this);
