/* coursec xAPI layer: one more consumer of the runtime's event stream.
 *
 * It turns each learner event into the statements of design.md's table (built by
 * xapi_statements.js) and hands them to the sender (queued before sending).  It runs in
 *   - the xapi target: actor, auth, registration from the TinCan launch URL;
 *   - SCORM packages built with an LRS: the actor is the LMS learner (an account), the
 *     registration is made once per attempt and kept in the saved state (suspend data);
 *   - the cmi5 target through cmi5_au.js, which supplies actor, auth and context template.
 * Durations: a block's duration is the time since the previous finished thing in its module
 * (or since the module was opened in this session); a module's since it was opened; the
 * course's since the session started.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});

  function XapiLayer(options) {
    this.builder = new ns.StatementBuilder(options);
    this.sender = options.sender;
    this.mastery = options.table.course.masteryScore;
    this.cohortOf = options.cohortOf || function () { return null; };
    this.decorate = options.decorate || function (s) { return s; };
    this.startedAt = Date.now();
    this.opened = {};
    this.marks = {};
  }

  XapiLayer.prototype.seconds = function (since) {
    return (Date.now() - since) / 1000;
  };

  /* Seconds since the last finished thing in the module, then restart that clock. */
  XapiLayer.prototype.lap = function (moduleId) {
    if (!this.opened[moduleId]) this.opened[moduleId] = this.startedAt;
    var since = this.marks[moduleId] || this.opened[moduleId];
    this.marks[moduleId] = Date.now();
    return this.seconds(since);
  };

  /* The learner opened a module page (the renderer's navigation calls this). */
  XapiLayer.prototype.moduleOpened = function (moduleId) {
    if (!this.opened[moduleId]) this.opened[moduleId] = Date.now();
  };

  XapiLayer.prototype.onEvent = function (type, d) {
    this.builder.cohort = this.cohortOf() || null;
    var list = this.statementsFor(type, d) || [];
    if (!list.length) return;
    this.sender.send(list.map(this.decorate));
  };

  XapiLayer.prototype.statementsFor = function (type, d) {
    var b = this.builder;
    var m = d.module && d.module.id;
    var k = d.block && d.block.id;
    switch (type) {
      case "lesson completed":
        var seconds = this.lap(m);
        return [b.lessonExperienced(m, k), b.lessonCompleted(m, k, seconds)];
      case "choice made":
        return [b.scenarioChoice(m, k, d.step.id, d.choiceIndex)];
      case "scenario finished":
        return [b.scenarioCompleted(m, k, d.score, d.path, this.lap(m))];
      case "question answered":
        var options = d.question.options;
        return [b.questionAnswered(m, k, d.question.id, (d.answer || []).map(function (i) { return options[i]; }))];
      case "quiz finished":
        return [b.quizFinished(m, k, d.score.raw, d.score.max, this.lap(m), this.mastery)];
      case "survey item answered":
        return d.value === undefined || d.value === null ? [] : [b.surveyAnswered(m, k, d.item.id, d.value)];
      case "reflection submitted":
        return [b.reflectionResponded(m, k, d.text, this.lap(m))];
      case "artifact submitted":
        return [b.artifactCreated(m, k, d.text, this.lap(m))];
      case "module done":
        return [b.moduleCompleted(m, this.seconds(this.opened[m] || this.startedAt))];
      case "course done":
        return [this.courseDone(d.snapshot)];
      default:
        return [];
    }
  };

  XapiLayer.prototype.courseDone = function (snapshot) {
    var score = snapshot && snapshot.score;
    var success = snapshot && snapshot.success ? snapshot.success === "passed" : null;
    return this.builder.courseCompleted(this.seconds(this.startedAt), score ? score.scaled : null, success);
  };

  /* Credentials for a package: token URL first, else an embedded or launch auth. */
  ns.credentialsFor = function (lrs, launchAuth, tokenRequest) {
    if (lrs && lrs.tokenUrl) return new ns.TokenAuth(lrs.tokenUrl, tokenRequest);
    return new ns.StaticAuth(launchAuth || (lrs && lrs.auth) || null);
  };

  /* A started sender for `endpoint`, its queue scoped by course and learner. */
  ns.startSender = function (endpoint, credentials, scope) {
    var sender = new ns.StatementSender({
      endpoint: endpoint, credentials: credentials, queue: new ns.StatementQueue(scope)
    });
    sender.watchPage(root.document);
    return sender;
  };

  function actorKey(actor) {
    return actor.account ? actor.account.homePage + "|" + actor.account.name : actor.mbox || actor.mbox_sha1sum || actor.openid;
  }

  /* The launch context for this target, or null when the package sends no xAPI. */
  ns.xapiLaunch = function (config, adapter, state) {
    var lrs = config.lrs || {};
    if (config.target === "xapi") {
      var launch = ns.tincanLaunch(root.location.search);
      if (!launch) console.warn("coursec xAPI: launched without endpoint and actor; no statements are sent");
      return launch;
    }
    if (!lrs.endpoint || (config.target !== "scorm12" && config.target !== "scorm2004")) return null;
    var actor = ns.scormActor(adapter, lrs.actorHomepage);
    if (!actor) {
      console.warn("coursec xAPI: the LMS gave no learner id; no statements are sent");
      return null;
    }
    if (!state.registration) state.registration = ns.uuid();  // once per attempt, saved in suspend data
    return { endpoint: ns.normalizeEndpoint(lrs.endpoint), auth: null, actor: actor,
      registration: state.registration, activityId: config.course.id, cohort: null };
  };

  /* Wire the xAPI layer to a tracker (called by main.js once the tracker exists). */
  ns.attachXapi = function (config, vocabulary, tracker, adapter) {
    if (config.target === "cmi5") return ns.attachCmi5 ? ns.attachCmi5(config, vocabulary, tracker) : null;
    var launch = ns.xapiLaunch(config, adapter, tracker.state);
    if (!launch) return null;
    if (config.target === "scorm12" || config.target === "scorm2004") console.info("coursec xAPI: statements also go to " + launch.endpoint);
    var request = { actor: launch.actor, registration: launch.registration, activityId: launch.activityId || config.course.id };
    // A TinCan launch brings its own auth; otherwise the package's token URL or embedded key.
    var credentials = launch.auth ? new ns.StaticAuth(launch.auth) : ns.credentialsFor(config.lrs, null, request);
    var sender = ns.startSender(launch.endpoint, credentials, config.course.id + "|" + actorKey(launch.actor));
    var layer = new XapiLayer({
      table: config.xapi, vocabulary: vocabulary, actor: launch.actor, registration: launch.registration,
      sender: sender, cohortOf: function () { return tracker.state.cohort || launch.cohort; },
      decorate: ns.launchGrouping(launch, config.course.id)
    });
    tracker.events.subscribe(function (type, detail) { layer.onEvent(type, detail); });
    return layer;
  };

  /* TinCan activity_id / grouping that differ from the course IRI join `grouping`; a
   * missing registration is omitted (never null). */
  ns.launchGrouping = function (launch, courseId) {
    var extra = [launch.activityId, launch.grouping].filter(function (id, i, all) {
      return id && id !== courseId && all.indexOf(id) === i;
    });
    return function (statement) {
      if (!statement.context.registration) delete statement.context.registration;
      extra.forEach(function (id) { statement.context.contextActivities.grouping.push({ id: id }); });
      return statement;
    };
  };

  ns.XapiLayer = XapiLayer;
})(typeof window !== "undefined" ? window : this);
