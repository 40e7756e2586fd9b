/* coursec preview: the LMS page.  It launches the course in the frame for the chosen
 * learner and cohort, provides the SCORM API itself (scorm_api.js) or lets the server act
 * as the cmi5 / TinCan LMS, and follows the build: every rebuild relaunches the course,
 * a build with errors shows lint's diagnostics instead of the course. */
(function (root) {
  "use strict";
  var P = root.CoursecPreview;
  var doc = root.document;
  var inspector = new P.Inspector();
  var build = null;
  var learner = null; /* {name, cohort, id} */
  var launches = 0;
  var saving = Promise.resolve(); /* the last PUT of committed SCORM data */
  var LOCAL_PREFIX = "coursec:";

  function $(id) { return doc.getElementById(id); }

  function say(text) { $("status").textContent = text; }

  function json(method, url, body) {
    var init = { method: method, headers: { "Content-Type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(url, init).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (value) {
        if (!r.ok) throw new Error(value && value.error ? value.error : "the preview answered " + r.status);
        return value;
      });
    });
  }

  /* Each learner keeps their own browser-side progress (local adapter), as in their own browser. */
  function swapLocalProgress(from, to) {
    var key = LOCAL_PREFIX + build.courseId;
    var stash = function (who) { return "coursec-preview:" + build.target + ":" + who; };
    try {
      if (from) {
        var mine = root.localStorage.getItem(key);
        if (mine !== null) root.localStorage.setItem(stash(from), mine);
      }
      var theirs = root.localStorage.getItem(stash(to));
      if (theirs === null) root.localStorage.removeItem(key);
      else root.localStorage.setItem(key, theirs);
      Object.keys(root.sessionStorage).forEach(function (k) {
        if (k.indexOf("coursec.cmi5:") === 0) root.sessionStorage.removeItem(k); /* a new launch, a new session */
      });
    } catch (err) { console.warn("coursec preview: storage unavailable", err); }
  }

  function installApi(answer) {
    delete root.API;
    delete root.API_1484_11;
    var dialect = P[build.target];
    if (!dialect) return;
    var who = answer.learner;
    var api = new P.StrictApi(dialect, {
      learnerId: who.id, learnerName: who.name, masteryScore: build.masteryScore,
      launchData: answer.cohort ? "cohort=" + answer.cohort : "", saved: answer.cmi
    }, {
      onCall: function (call) { inspector.call(call, api); },
      onCommit: function (record) {
        saving = json("PUT", "/lms/cmi?learner=" + encodeURIComponent(who.id), record).catch(function (e) { say(e.message); });
      }
    });
    root[dialect.apiName] = api;
    P.api = api;
  }

  /* Unload the course: once about:blank has loaded, the old page has finished with its own
   * API (pagehide) and handed its last commit to `saving`. */
  function blank() {
    var frame = $("course-frame");
    if (!frame.contentWindow || frame.contentWindow.location.href === "about:blank") return Promise.resolve();
    return new Promise(function (done) {
      var timer = setTimeout(done, 5000);
      frame.addEventListener("load", function () { clearTimeout(timer); done(); }, { once: true });
      frame.src = "about:blank";
    });
  }

  function launch() {
    if (!build || !build.ok || !learner) return Promise.resolve();
    var frame = $("course-frame");
    return blank().then(function () {
      return saving;
    }).then(function () {
      return json("POST", "/lms/launch", { name: learner.name, cohort: learner.cohort });
    }).then(function (answer) {
      if (learner.id !== answer.learner.id) swapLocalProgress(learner.id, answer.learner.id);
      learner.id = answer.learner.id;
      inspector.clear();
      installApi(answer);
      launches += 1;
      frame.src = answer.url + (answer.url.indexOf("?") < 0 ? "?" : "&") + "preview-launch=" + launches;
      say("Playing as " + answer.learner.name + (answer.cohort ? " (" + answer.cohort + ")" : "") + ", build " + build.version);
      doc.body.setAttribute("data-launched", String(launches));
    }).catch(function (e) { say(e.message); });
  }

  function showBuild(next) {
    var first = !build;
    build = next;
    $("course-title").textContent = next.title || "coursec preview";
    $("target").textContent = next.target;
    doc.body.setAttribute("data-build", String(next.version));
    $("diagnostics").hidden = next.ok;
    $("course-frame").hidden = !next.ok;
    var list = $("diagnostic-list");
    list.textContent = "";
    next.diagnostics.filter(function () { return !next.ok; }).forEach(function (d) {
      var li = doc.createElement("li");
      var code = doc.createElement("code");
      code.textContent = d.text;
      li.appendChild(code);
      list.appendChild(li);
    });
    if (first || $("learner-cohort").options.length === 1) fillCohorts(next.cohorts);
    if (next.ok && learner) launch();
    else if (!next.ok) { $("course-frame").src = "about:blank"; say("The course has errors"); }
  }

  function fillCohorts(cohorts) {
    var select = $("learner-cohort");
    cohorts.forEach(function (c) {
      var option = doc.createElement("option");
      option.value = c.id;
      option.textContent = c.title + " (" + c.id + ")";
      select.appendChild(option);
    });
  }

  function followBuilds(seen) {
    fetch("/lms/build?seen=" + seen).then(function (r) { return r.json(); }).then(function (next) {
      if (next.version !== seen) showBuild(next);
      followBuilds(next.version);
    }, function () { setTimeout(function () { followBuilds(seen); }, 1000); });
  }

  $("learner-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var previous = learner ? learner.id : null;
    learner = { name: $("learner-name").value.trim(), cohort: $("learner-cohort").value, id: previous };
    launch();
  });

  $("new-attempt").addEventListener("click", function () {
    if (!learner || !learner.id) return;
    var id = learner.id;
    blank().then(function () { return saving; }).then(function () {
      return json("POST", "/lms/reset?learner=" + encodeURIComponent(id));
    }).then(function () {
      try { root.localStorage.removeItem(LOCAL_PREFIX + build.courseId); } catch (e) { /* none */ }
      return launch();
    }).catch(function (e) { say(e.message); });
  });

  P.inspector = inspector;
  P.launch = launch;
  inspector.follow();
  followBuilds(-1);
})(typeof window !== "undefined" ? window : this);
