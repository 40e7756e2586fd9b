/* tracker: the learner's progress as rules: what is done, required, scored, passed.
 * Every learner action goes through here; it updates the state, emits the events and
 * hands a snapshot to the adapter (status, score, bookmark, encoded state). */
(function () {
  "use strict";
  var C = window.Coursec;
  /* Events after which the LMS is asked to commit (besides page hide and exit). */
  var COMMIT_AFTER = ["quiz finished", "reflection submitted", "artifact submitted", "module done", "course done"];

  function Tracker(config, state, adapter) {
    this.config = config;
    this.state = state;
    this.adapter = adapter;
    this.events = new C.EventStream();
    this.location = "";
    var self = this;
    this.commitPending = false;
    this.events.subscribe(function (type, detail) {
      self.adapter.onEvent(type, detail);
      if (COMMIT_AFTER.indexOf(type) >= 0) self.commitPending = true;
    });
    this.doneModules = this.moduleDoneMap();
    this.wasComplete = this.isComplete();
  }

  Tracker.prototype.record = function (key) {
    return this.state.blocks[key];
  };

  Tracker.prototype.blockDone = function (block) {
    var rec = this.record(block.key);
    if (!rec) return false;
    return block.kind === "quiz" ? rec.tries > 0 : !!rec.done;
  };

  Tracker.prototype.moduleRequired = function (module) {
    if (!module.cohorts.length) return true;
    return !this.state.cohort || module.cohorts.indexOf(this.state.cohort) >= 0;
  };

  Tracker.prototype.moduleDone = function (module) {
    var self = this;
    return module.blocks.every(function (b) { return self.blockDone(b); });
  };

  Tracker.prototype.moduleDoneMap = function () {
    var map = {};
    var self = this;
    this.config.modules.forEach(function (m) { map[m.id] = self.moduleDone(m); });
    return map;
  };

  Tracker.prototype.requiredBlocks = function () {
    var self = this;
    var blocks = [];
    this.config.modules.forEach(function (m) {
      if (self.moduleRequired(m)) blocks = blocks.concat(m.blocks);
    });
    return blocks;
  };

  Tracker.prototype.progress = function () {
    var required = this.requiredBlocks();
    var self = this;
    var done = required.filter(function (b) { return self.blockDone(b); }).length;
    return required.length ? done / required.length : 1;
  };

  Tracker.prototype.isComplete = function () {
    return this.progress() >= 1;
  };

  /* The quizzes that decide the score: the post assessments, else every scored quiz but pre. */
  Tracker.prototype.decidingQuizzes = function () {
    var quizzes = [];
    this.config.modules.forEach(function (m) {
      m.blocks.forEach(function (b) { if (b.kind === "quiz") quizzes.push(b); });
    });
    var post = quizzes.filter(function (q) { return q.assessment === "post"; });
    return post.length ? post : quizzes.filter(function (q) { return q.assessment !== "pre"; });
  };

  Tracker.prototype.questionCorrect = function (question, answer) {
    if (!answer || answer.length !== question.correct.length) return false;
    return answer.every(function (i) { return question.correct.indexOf(question.options[i]) >= 0; });
  };

  Tracker.prototype.quizScore = function (block) {
    var rec = this.record(block.key) || { answers: {} };
    var self = this;
    var correct = block.questions.filter(function (q) { return self.questionCorrect(q, rec.answers[q.key]); }).length;
    return { raw: correct, max: block.questions.length };
  };

  Tracker.prototype.score = function () {
    var quizzes = this.decidingQuizzes();
    var self = this;
    if (!quizzes.length || !quizzes.every(function (q) { return self.blockDone(q); })) return null;
    var retaking = quizzes.some(function (q) { return !self.record(q.key).submitted; });
    if (retaking) return this.lastScore || null; /* the latest finished attempt counts */
    var raw = 0, max = 0;
    quizzes.forEach(function (q) {
      var s = self.quizScore(q);
      raw += s.raw;
      max += s.max;
    });
    this.lastScore = { raw: raw, max: max, scaled: max ? raw / max : 0 };
    return this.lastScore;
  };

  Tracker.prototype.success = function (score) {
    var mastery = this.config.course.masteryScore;
    if (mastery === null || mastery === undefined || !score) return null;
    return score.scaled >= mastery ? "passed" : "failed";
  };

  Tracker.prototype.snapshot = function () {
    var score = this.score();
    this.state.bookmark = this.bookmarkKey();
    return {
      complete: this.isComplete(), progress: this.progress(), score: score, success: this.success(score),
      location: this.location, suspendData: C.State.encode(this.state)
    };
  };

  Tracker.prototype.bookmarkKey = function () {
    var module = C.findModule(this.location);
    return module ? module.key : this.location === "finish" ? "~" : "";
  };

  /* After every change: module and course events, then the adapter gets the new snapshot. */
  Tracker.prototype.changed = function () {
    var self = this;
    this.config.modules.forEach(function (m) {
      var done = self.moduleDone(m);
      if (done && !self.doneModules[m.id]) self.events.emit("module done", { module: m });
      self.doneModules[m.id] = done;
    });
    var complete = this.isComplete();
    var snapshot = this.snapshot();
    if (complete && !this.wasComplete) this.events.emit("course done", { snapshot: snapshot });
    this.wasComplete = complete;
    this.adapter.save(snapshot);
    if (this.commitPending) {
      this.commitPending = false;
      this.adapter.commit();
    }
    if (this.onChange) this.onChange(snapshot);
    return snapshot;
  };

  Tracker.prototype.detail = function (key, extra) {
    var found = C.findBlock(key);
    var detail = { module: found.module, block: found.block };
    for (var name in extra) detail[name] = extra[name];
    return detail;
  };

  C.Tracker = Tracker;
})();
