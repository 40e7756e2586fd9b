/* coursec cmi5 flow: initialized -> learning -> completed / passed / failed -> terminated.
 *
 * attachCmi5 subscribes to the tracker's events at once but sends nothing until the launch
 * sequence (cmi5_au.js) finished and `initialized` is queued; events that come earlier are
 * replayed afterwards, so no statement ever precedes `initialized`.  moveOn: the AU's module
 * done (or the course done for a course AU) sends `completed`; its deciding quiz (or the
 * course score) sends `passed` / `failed` against the LaunchData masteryScore.  An explicit
 * exit sends `terminated`, waits until the LRS acknowledged it, then goes to returnURL.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});

  function note(message) {
    var C = root.Coursec;
    if (C && C.showNote) C.showNote(message);
    console.error("coursec cmi5: " + message);
  }

  function Cmi5Flow(session, config, vocabulary, tracker) {
    this.session = session;
    this.config = config;
    this.vocab = vocabulary;
    this.tracker = tracker;
    this.early = [];
    this.ready = false;
  }

  Cmi5Flow.prototype.begin = function () {
    var s = this.session;
    var self = this;
    this.sender = ns.startSender(s.launch.endpoint, new ns.StaticAuth(s.memo.auth),
      "cmi5|" + s.launch.registration + "|" + s.launch.activityId);
    if (s.memo.terminated) return note("this session has ended; launch the course again from the LMS");
    this.sent = { completed: !!(s.sent.completed || s.memo.completed), passed: !!(s.sent.passed || s.memo.passed) };
    if (!s.memo.initialized) {
      this.sender.send([s.defined("initialized")]);
      s.memo.initialized = true;
      s.saveMemo();
    }
    this.layer = new ns.XapiLayer({
      table: this.config.xapi, vocabulary: this.vocab, actor: s.launch.actor, registration: s.launch.registration,
      sender: this.sender, cohortOf: function () { return self.tracker.state.cohort || null; },
      decorate: function (statement) { return s.applyTemplate(statement); }
    });
    this.layer.mastery = s.masteryScore();  // the LMS's masteryScore judges the quiz statements too
    this.ready = true;
    this.early.splice(0).forEach(function (e) { self.onEvent(e[0], e[1]); });
  };

  Cmi5Flow.prototype.onEvent = function (type, detail) {
    if (!this.ready) return this.early.push([type, detail]);
    if (this.session.memo.terminated) return;
    this.layer.onEvent(type, detail);
    var au = this.session.auModule;
    if (au ? type === "quiz finished" && detail.module.id === au.id && this.deciding(detail.block) : type === "course done") {
      this.judge(au ? detail.score : detail.snapshot.score);
    }
    if (au ? type === "module done" && detail.module.id === au.id : type === "course done") this.complete();
  };

  Cmi5Flow.prototype.deciding = function (block) {
    return this.tracker.decidingQuizzes().some(function (q) { return q.key === block.key; });
  };

  Cmi5Flow.prototype.normal = function () {
    return this.session.mode() === "Normal";
  };

  Cmi5Flow.prototype.complete = function () {
    if (!this.normal() || this.sent.completed) return;
    this.sender.send([this.session.defined("completed", { completion: true, duration: this.session.duration() }, true)]);
    this.remember("completed");
  };

  /* passed / failed: one judgement per session, passed once per registration, no failed after passed. */
  Cmi5Flow.prototype.judge = function (score) {
    var s = this.session;
    var mastery = s.masteryScore();
    if (!this.normal() || !score || mastery === null || mastery === undefined || s.memo.judged || this.sent.passed) return;
    var scaled = Math.round(score.scaled * 10000) / 10000;
    var passed = scaled >= mastery;
    var ext = {};
    ext[this.vocab.extensions.cmi5_mastery] = mastery;
    var result = { success: passed, duration: s.duration(),
      score: { scaled: scaled, raw: Math.round(score.raw), min: 0, max: Math.round(score.max) } };
    this.sender.send([s.defined(passed ? "passed" : "failed", result, true, ext)]);
    s.memo.judged = true;
    if (passed) this.remember("passed");
    else s.saveMemo();
  };

  /* Kept in sessionStorage and in our own State document (the LMS keeps it per registration). */
  Cmi5Flow.prototype.remember = function (what) {
    var s = this.session;
    this.sent[what] = true;
    s.memo[what] = true;
    s.saveMemo();
    s.request("PUT", "activities/state", s.stateParams(ns.CMI5_OWN_STATE), this.sent).catch(function (e) {
      console.warn("coursec cmi5: could not save the AU state", e);
    });
  };

  Cmi5Flow.prototype.terminate = function (redirect) {
    var s = this.session;
    if (!this.ready || s.memo.terminated) return Promise.resolve(false);
    this.sender.send([s.defined("terminated", { duration: s.duration() })]);
    s.memo.terminated = true;
    s.saveMemo();
    var returnURL = s.launchData.returnURL;
    if (!redirect) return Promise.resolve(this.sender.flushOnHide());
    return this.sender.flush(15000).then(function (delivered) {
      if (delivered && returnURL) root.location.assign(returnURL);
      return delivered;
    });
  };

  ns.attachCmi5 = function (config, vocabulary, tracker) {
    var launch = ns.cmi5Launch(root.location.search);
    if (!launch) {
      note("launched without the cmi5 launch parameters; nothing is recorded in the LMS");
      return null;
    }
    var session = new ns.Cmi5Session(launch, { config: config, vocabulary: vocabulary });
    var flow = new Cmi5Flow(session, config, vocabulary, tracker);
    tracker.events.subscribe(function (type, detail) { flow.onEvent(type, detail); });
    flow.started = session.start().then(function () { flow.begin(); }, function (error) {
      note(error.message);
    });
    var C = root.Coursec;
    if (C) {
      var exit = C.exit;
      C.exit = function () { if (exit) exit(); return flow.terminate(true); };
    }
    root.addEventListener("pagehide", function () { flow.terminate(false); });
    return flow;
  };

  ns.Cmi5Flow = Cmi5Flow;
})(typeof window !== "undefined" ? window : this);
