/* coursec cmi5 AU (spec-sheet §5.2, §5.3).
 *
 * Launch: endpoint, fetch, actor, registration, activityId from the query; ONE POST to fetch
 * (the token is kept in sessionStorage for reloads, never fetched twice); GET LMS.LaunchData
 * (contextTemplate, launchMode, moveOn, masteryScore, returnURL); GET the learner preferences
 * (language); GET our own State document (what this registration already sent); then
 * `initialized`.  Learning statements are cmi5 "allowed" (template context, no cmi5 category).
 * Defined statements: completed (once per registration), passed/failed (passed once per
 * registration, never failed after passed, one judgement per session) only in Normal mode,
 * with the moveon category, durations, integer raw/min/max and the masteryscore extension;
 * terminated last, then the returnURL redirect once it was acknowledged.
 * The AU is the module whose IRI is the template's publisher id (one AU per module), else the
 * whole course.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});
  var OWN_STATE = "https://w3id.org/xapi/coursec/state/cmi5-progress";

  ns.cmi5Launch = function (search) {
    var p = new URLSearchParams(search);
    var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    if (names.some(function (n) { return !p.get(n); })) return null;
    var actor;
    try { actor = JSON.parse(p.get("actor")); } catch (e) { return null; }
    return { endpoint: ns.normalizeEndpoint(p.get("endpoint")), fetchUrl: p.get("fetch"), actor: actor,
      registration: p.get("registration"), activityId: p.get("activityId") };
  };

  function Cmi5Session(launch, options) {
    this.launch = launch;
    this.vocab = options.vocabulary;
    this.course = options.config.course;
    this.modules = options.config.modules;
    this.storageKey = "coursec.cmi5:" + launch.registration + "|" + launch.activityId;
    this.memo = this.loadMemo();
    this.startedAt = Date.now();
    this.judged = false;
    this.terminated = false;
  }

  Cmi5Session.prototype.loadMemo = function () {
    try { return JSON.parse(root.sessionStorage.getItem(this.storageKey) || "{}"); } catch (e) { return {}; }
  };

  Cmi5Session.prototype.saveMemo = function () {
    try { root.sessionStorage.setItem(this.storageKey, JSON.stringify(this.memo)); } catch (e) { /* memory only */ }
  };

  /* ONE POST to the fetch URL per launch; a reload reuses the token from sessionStorage. */
  Cmi5Session.prototype.token = function () {
    var self = this;
    if (this.memo.auth) return Promise.resolve(this.memo.auth);
    if (this.memo.fetched) return Promise.reject(new Error("the launch token was already fetched"));
    this.memo.fetched = true;
    this.saveMemo();
    return fetch(this.launch.fetchUrl, { method: "POST" }).then(function (r) { return r.json(); }).then(function (body) {
      if (!body || !body["auth-token"]) {
        throw new Error("the LMS refused the launch (error " + (body && body["error-code"]) + ": " + (body && body["error-text"]) + ")");
      }
      self.memo.auth = "Basic " + body["auth-token"];
      self.saveMemo();
      return self.memo.auth;
    });
  };

  Cmi5Session.prototype.request = function (method, path, params, body) {
    var query = Object.keys(params).map(function (k) {
      var v = typeof params[k] === "string" ? params[k] : JSON.stringify(params[k]);
      return encodeURIComponent(k) + "=" + encodeURIComponent(v);
    }).join("&");
    var headers = { Authorization: this.memo.auth, "X-Experience-API-Version": "1.0.3" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(this.launch.endpoint + path + "?" + query, {
      method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body)
    });
  };

  Cmi5Session.prototype.getJson = function (path, params) {
    return this.request("GET", path, params).then(function (r) {
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(path + " answered " + r.status);
      return r.json();
    });
  };

  Cmi5Session.prototype.stateParams = function (stateId) {
    return { stateId: stateId, activityId: this.launch.activityId, agent: this.launch.actor, registration: this.launch.registration };
  };

  /* Token, LaunchData, preferences and our own state, in that order, before any statement. */
  Cmi5Session.prototype.start = function () {
    var self = this;
    return this.token().then(function () {
      return self.getJson("activities/state", self.stateParams("LMS.LaunchData"));
    }).then(function (launchData) {
      if (!launchData || !launchData.contextTemplate) throw new Error("no LMS.LaunchData for this launch");
      self.launchData = launchData;
      return self.getJson("agents/profile", { agent: self.launch.actor, profileId: "cmi5LearnerPreferences" });
    }).then(function (preferences) {
      self.language = preferences && preferences.languagePreference ? preferences.languagePreference.split(",")[0] : null;
      return self.getJson("activities/state", self.stateParams(OWN_STATE));
    }).then(function (own) {
      self.sent = own || {};
      self.auModule = self.findModule();
    });
  };

  Cmi5Session.prototype.findModule = function () {
    var grouping = (this.launchData.contextTemplate.contextActivities || {}).grouping || [];
    var ids = grouping.map(function (a) { return a.id; });
    return this.modules.filter(function (m) { return ids.indexOf(m.iri) >= 0; })[0] || null;
  };

  Cmi5Session.prototype.mode = function () {
    return this.launchData.launchMode || "Normal";
  };

  Cmi5Session.prototype.masteryScore = function () {
    var m = this.launchData.masteryScore;
    return m === undefined || m === null ? this.course.masteryScore : m;
  };

  /* Copy the context template into a statement; keep our own grouping entries after it. */
  Cmi5Session.prototype.applyTemplate = function (statement) {
    var template = JSON.parse(JSON.stringify(this.launchData.contextTemplate));
    var context = statement.context || {};
    var ours = context.contextActivities || {};
    var theirs = template.contextActivities || {};
    Object.keys(ours).forEach(function (key) {
      var seen = (theirs[key] || []).map(function (a) { return a.id; });
      theirs[key] = (theirs[key] || []).concat(ours[key].filter(function (a) { return seen.indexOf(a.id) < 0; }));
    });
    template.contextActivities = theirs;
    template.extensions = Object.assign({}, context.extensions || {}, template.extensions || {});
    Object.keys(context).forEach(function (k) { if (!(k in template)) template[k] = context[k]; });
    template.registration = this.launch.registration;
    statement.context = template;
    statement.actor = this.launch.actor;
    return statement;
  };

  Cmi5Session.prototype.defined = function (verbKey, result, moveOn, extensions) {
    var iri = this.vocab.verbs[verbKey];
    var categories = [{ id: this.vocab.categories.cmi5 }];
    if (moveOn) categories.push({ id: this.vocab.categories.moveon });
    var statement = {
      id: ns.uuid(), actor: this.launch.actor,
      verb: { id: iri, display: { "en-US": this.vocab.verbDisplay[iri] } },
      object: { objectType: "Activity", id: this.launch.activityId },
      context: { contextActivities: { category: categories }, extensions: extensions || {} },
      timestamp: new Date().toISOString()
    };
    if (result) statement.result = result;
    if (!Object.keys(statement.context.extensions).length) delete statement.context.extensions;
    return this.applyTemplate(statement);
  };

  Cmi5Session.prototype.duration = function () {
    return ns.isoDuration((Date.now() - this.startedAt) / 1000);
  };

  ns.Cmi5Session = Cmi5Session;
  ns.CMI5_OWN_STATE = OWN_STATE;
})(typeof window !== "undefined" ? window : this);
