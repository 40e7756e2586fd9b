/* main: boot. Find the LMS (or fall back to this browser), restore, show the page,
 * commit when the page is hidden and finish exactly once when it goes away. */
(function () {
  "use strict";
  var C = window.Coursec;

  function connect() {
    var kind = C.adapters[C.config.target];
    if (kind && kind.apiName) {
      var api = C.findApi(kind.apiName);
      if (api) {
        var adapter = kind.create(api);
        var launch = adapter.start();
        if (launch) return { adapter: adapter, launch: launch };
      }
      C.warn("no " + kind.apiName + " found: progress stays in this browser");
    }
    var local = C.adapters.local.create();
    C.showNote(C.t("no_lms_note"));
    return { adapter: local, launch: local.start() };
  }

  function launchCohort(launchData) {
    var match = /(?:^|[&;\s])cohort=([a-z0-9-]+)/.exec(String(launchData || ""));
    return match && C.config.cohorts.indexOf(match[1]) >= 0 ? match[1] : "";
  }

  function compiledCohort() {
    return C.config.cohort && C.config.cohorts.indexOf(C.config.cohort) >= 0 ? C.config.cohort : "";
  }

  function firstPage(launch, state) {
    if (launch.location) return launch.location;
    if (state.bookmark === "~") return "finish";
    var module = state.bookmark ? C.findModule(state.bookmark) : null;
    return module ? module.id : "start";
  }

  function boot() {
    var connection = connect();
    var launch = connection.launch;
    var state = launch.suspendData ? C.State.decode(launch.suspendData) : C.State.empty();
    if (!state.registration) state.registration = C.uuid();
    var fixed = launchCohort(launch.launchData) || compiledCohort();
    if (fixed) state.cohort = fixed;
    var tracker = new C.Tracker(C.config, state, connection.adapter);
    C.xapi = window.coursec && window.coursec.attachXapi ? window.coursec.attachXapi(C.config, C.vocabulary, tracker, connection.adapter) : null;
    var ui = new C.UI(tracker);
    ui.cohortFixed = !!fixed;
    ui.start();
    ui.renderStatus(tracker.snapshot());
    ui.show(launch.entry === "resume" || launch.suspendData ? firstPage(launch, state) : "start", false);
    C.tracker = tracker;
    C.ui = ui;
    C.launch = launch;
  }

  C.exit = function () {
    if (C.exited || !C.tracker) return;
    C.draftFlushers.forEach(function (flush) { flush(); });
    C.exited = true;
    C.tracker.adapter.finish(C.tracker.snapshot());
    C.showNote(C.t("exited"));
  };

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && C.tracker && !C.exited) {
      C.draftFlushers.forEach(function (flush) { flush(); });
      C.tracker.adapter.commit();
    }
  });
  window.addEventListener("pagehide", C.exit);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
