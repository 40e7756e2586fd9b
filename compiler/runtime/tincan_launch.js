/* TinCan launch (spec-sheet §4) and the SCORM learner as an xAPI actor.
 *
 * tincanLaunch(search): endpoint (trailing "/" added), auth (used verbatim), actor (0.95-style
 * arrays normalised to one IFI), registration (omitted when absent, never null),
 * activity_id, grouping, cohort.  Returns null when there is no endpoint or no usable actor.
 * scormActor(adapter, homePage): an account {homePage, name = cmi.core.student_id or
 * cmi.learner_id} with the learner name.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});
  var IFIS = ["mbox", "mbox_sha1sum", "openid", "account"];

  function single(value) {
    return Array.isArray(value) ? value[0] : value;
  }

  /* A 1.0 Agent with exactly one IFI (the first present, in the spec's order). */
  ns.normalizeActor = function (raw) {
    if (!raw || typeof raw !== "object") return null;
    var actor = { objectType: "Agent" };
    var name = single(raw.name);
    if (name) actor.name = String(name);
    for (var i = 0; i < IFIS.length; i++) {
      var value = single(raw[IFIS[i]]);
      if (!value) continue;
      if (IFIS[i] === "account") {
        var account = { homePage: single(value.homePage || value.accountServiceHomePage),
          name: single(value.name || value.accountName) };
        if (!account.homePage || !account.name) continue;
        actor.account = { homePage: String(account.homePage), name: String(account.name) };
      } else {
        actor[IFIS[i]] = IFIS[i] === "mbox" && String(value).indexOf("mailto:") !== 0 ? "mailto:" + value : String(value);
      }
      return actor;
    }
    return null;
  };

  ns.tincanLaunch = function (search) {
    var params = new URLSearchParams(search);
    var endpoint = params.get("endpoint");
    var actor = null;
    try {
      actor = ns.normalizeActor(JSON.parse(params.get("actor") || "null"));
    } catch (e) {
      actor = null;
    }
    if (!endpoint || !actor) return null;
    return {
      endpoint: ns.normalizeEndpoint(endpoint),
      auth: params.get("auth") || null,
      actor: actor,
      registration: params.get("registration") || null,
      activityId: params.get("activity_id") || null,
      grouping: params.get("grouping") || null,
      cohort: params.get("cohort") || null
    };
  };

  var LEARNER = {
    scorm12: { id: "cmi.core.student_id", name: "cmi.core.student_name" },
    scorm2004: { id: "cmi.learner_id", name: "cmi.learner_name" }
  };

  /* The LMS learner as an account; null when the LMS gives no learner id. */
  ns.scormActor = function (adapter, homePage) {
    var elements = LEARNER[adapter && adapter.name];
    if (!elements) return null;
    var id = adapter.get(elements.id);
    if (!id) return null;
    var actor = { objectType: "Agent", account: { homePage: homePage || root.location.origin, name: id } };
    var name = adapter.get(elements.name);
    if (name) actor.name = name;
    return actor;
  };
})(typeof window !== "undefined" ? window : this);
