/* actions: what a learner does, as Tracker methods (state change, events, save). */
(function () {
  "use strict";
  var C = window.Coursec;
  var T = C.Tracker.prototype;

  function ensure(tracker, key, fresh) {
    if (!tracker.state.blocks[key]) tracker.state.blocks[key] = fresh;
    return tracker.state.blocks[key];
  }

  T.setLocation = function (pageId) {
    this.location = pageId;
    return this.changed();
  };

  T.setCohort = function (cohort) {
    this.state.cohort = cohort;
    return this.changed();
  };

  T.lessonRead = function (key) {
    if (this.record(key)) return;
    this.state.blocks[key] = { kind: "L", done: true };
    this.events.emit("lesson completed", this.detail(key, {}));
    this.changed();
  };

  T.scenarioRecord = function (key) {
    return ensure(this, key, { kind: "S", done: false, path: [0] });
  };

  T.scenarioScore = function (block, path) {
    var score = 0;
    for (var i = 0; i + 1 < path.length; i++) {
      var step = block.steps[path[i]];
      var nextId = block.steps[path[i + 1]].id;
      var choice = step.choices.filter(function (c) { return c.target === nextId; })[0];
      if (choice) score += choice.score;
    }
    return score;
  };

  /* A choice at the current step; returns the index of the step it leads to. */
  T.choose = function (key, choiceIndex) {
    var block = C.findBlock(key).block;
    var rec = this.scenarioRecord(key);
    var step = block.steps[rec.path[rec.path.length - 1]];
    var choice = step && step.choices[choiceIndex];
    var target = choice ? block.steps.map(function (s) { return s.id; }).indexOf(choice.target) : -1;
    if (target < 0) return null;
    rec.path.push(target);
    var limit = 2 * block.steps.length;
    if (rec.path.length > limit) rec.path = [rec.path[0]].concat(rec.path.slice(rec.path.length - limit + 1));
    this.events.emit("choice made", this.detail(key, { step: step, choiceIndex: choiceIndex, choice: choice }));
    if (block.steps[target].ending) {
      rec.done = true;
      var path = rec.path.map(function (i) { return block.steps[i].id; });
      this.events.emit("scenario finished", this.detail(key, {
        ending: block.steps[target].id, path: path, score: this.scenarioScore(block, rec.path)
      }));
    }
    this.changed();
    return target;
  };

  T.replay = function (key) {
    var rec = this.scenarioRecord(key);
    rec.path = [0];
    this.changed();
  };

  T.quizRecord = function (key) {
    return ensure(this, key, { kind: "Q", tries: 0, submitted: false, answers: {} });
  };

  T.draftAnswer = function (key, questionKey, answer) {
    var rec = this.quizRecord(key);
    if (rec.submitted) return;
    if (answer.length) rec.answers[questionKey] = answer.slice().sort();
    else delete rec.answers[questionKey];
    this.changed();
  };

  T.attemptsLeft = function (key) {
    var limit = this.config.course.attempts;
    var rec = this.record(key);
    return limit ? Math.max(0, limit - (rec ? rec.tries : 0)) : Infinity;
  };

  /* Submit a quiz whose every question has an answer; returns the score. */
  T.submitQuiz = function (key) {
    var block = C.findBlock(key).block;
    var rec = this.quizRecord(key);
    var self = this;
    if (this.attemptsLeft(key) <= 0) return null;
    rec.tries += 1;
    rec.submitted = true;
    block.questions.forEach(function (q) {
      var answer = rec.answers[q.key];
      self.events.emit("question answered", self.detail(key, {
        question: q, answer: answer, correct: self.questionCorrect(q, answer)
      }));
    });
    var score = this.quizScore(block);
    score.scaled = score.max ? score.raw / score.max : 0;
    this.events.emit("quiz finished", this.detail(key, { score: score, success: this.success(score) }));
    this.changed();
    return score;
  };

  T.retakeQuiz = function (key) {
    var rec = this.quizRecord(key);
    rec.answers = {};
    rec.submitted = false;
    this.changed();
  };

  T.draftSurvey = function (key, itemKey, value) {
    var rec = ensure(this, key, { kind: "V", done: false, answers: {} });
    rec.answers[itemKey] = value;
    this.changed();
  };

  T.submitSurvey = function (key) {
    var block = C.findBlock(key).block;
    var rec = ensure(this, key, { kind: "V", done: false, answers: {} });
    var self = this;
    rec.done = true;
    block.items.forEach(function (item) {
      self.events.emit("survey item answered", self.detail(key, { item: item, value: rec.answers[item.key] }));
    });
    this.changed();
  };

  T.draftText = function (key, text) {
    var block = C.findBlock(key).block;
    var rec = ensure(this, key, { kind: block.kind === "artifact" ? "A" : "R", done: false, text: "" });
    rec.text = String(text).slice(0, block.maxChars);
    this.changed();
  };

  T.submitText = function (key, text) {
    this.draftText(key, text);
    var found = C.findBlock(key);
    var rec = this.record(key);
    rec.done = true;
    var type = found.block.kind === "artifact" ? "artifact submitted" : "reflection submitted";
    this.events.emit(type, this.detail(key, { text: rec.text, words: C.wordCount(rec.text) }));
    this.changed();
  };
})();
