/* coursec preview: the inspector beside the course.  It shows the live CMI values, each
 * API call with its result and error code, each xAPI statement as the preview's LRS
 * stores it and each statement it refuses (400) with the reason (one long-poll of
 * /lms/statements).  Text goes in with textContent only. */
(function (root) {
  "use strict";
  var P = (root.CoursecPreview = root.CoursecPreview || {});
  var doc = root.document;

  function item(text, failed) {
    var li = doc.createElement("li");
    li.textContent = text;
    if (failed) li.className = "failed";
    return li;
  }

  function verbOf(s) {
    return (s.verb && (s.verb.display && (s.verb.display["en-US"] || s.verb.display.en))) || (s.verb && s.verb.id) || "?";
  }

  function Inspector() {
    this.calls = [];
    this.statements = [];
    this.refused = [];
    this.failed = [];
  }

  Inspector.prototype.clear = function () {
    this.calls = [];
    this.failed = [];
    doc.getElementById("calls").textContent = "";
    doc.getElementById("call-count").textContent = "0";
    this.showCmi({});
  };

  /* One API call: fn(args) -> "result" [error code]. */
  Inspector.prototype.call = function (call, api) {
    this.calls.push(call);
    var failed = call.error !== "0";
    if (failed) this.failed.push(call);
    var args = call.args.map(function (a) { return JSON.stringify(String(a)).slice(0, 120); }).join(", ");
    var text = call.fn + "(" + args + ") \u2192 " + JSON.stringify(call.result).slice(0, 160) + (failed ? "  error " + call.error : "");
    var list = doc.getElementById("calls");
    list.appendChild(item(text, failed));
    list.scrollTop = list.scrollHeight;
    doc.getElementById("call-count").textContent = String(this.calls.length);
    if (api) this.showCmi(api.snapshot());
  };

  Inspector.prototype.showCmi = function (values) {
    var body = doc.querySelector("#cmi-table tbody");
    body.textContent = "";
    Object.keys(values).sort().forEach(function (key) {
      var row = doc.createElement("tr");
      row.setAttribute("data-element", key);
      [key, values[key].length > 200 ? values[key].slice(0, 200) + "\u2026 (" + values[key].length + ")" : values[key]]
        .forEach(function (text) {
          var cell = doc.createElement("td");
          cell.textContent = text;
          row.appendChild(cell);
        });
      body.appendChild(row);
    });
  };

  Inspector.prototype.statement = function (s) {
    this.statements.push(s);
    var verb = verbOf(s);
    var who = (s.actor && (s.actor.name || (s.actor.account && s.actor.account.name))) || "?";
    var result = s.result && s.result.score && s.result.score.scaled !== undefined ? " score " + s.result.score.scaled : "";
    var list = doc.getElementById("statements");
    list.appendChild(item(who + " " + verb + " " + (s.object && s.object.id) + result));
    list.scrollTop = list.scrollHeight;
    doc.getElementById("statement-count").textContent = String(this.statements.length);
  };

  /* One statement the LRS refused: "Refused (400): reason", then its verb, object and id. */
  Inspector.prototype.refusal = function (entry) {
    this.refused.push(entry);
    var s = entry.statement;
    var li = doc.createElement("li");
    var head = doc.createElement("strong");
    head.textContent = "Refused (" + entry.status + "): ";
    li.appendChild(head);
    li.appendChild(doc.createTextNode(entry.reason));
    var what = doc.createElement("div");
    what.textContent = s && typeof s === "object" && !Array.isArray(s)
      ? verbOf(s) + " " + (s.object && s.object.id) + " \u00b7 id " + (s.id || "(none)")
      : "body " + JSON.stringify(s).slice(0, 200);
    li.appendChild(what);
    var list = doc.getElementById("refused");
    list.appendChild(li);
    list.hidden = false;
    list.scrollTop = list.scrollHeight;
    doc.getElementById("refused-none").hidden = true;
    doc.getElementById("refused-count").textContent = String(this.refused.length);
    if (root.console) root.console.warn("coursec preview: the LRS refused a statement (" + entry.status + "): " + entry.reason, s);
  };

  /* Follow the LRS: every statement stored, and every one refused, since the preview started. */
  Inspector.prototype.follow = function () {
    var self = this;
    var next = 0;
    var refused = 0;
    function poll() {
      fetch("/lms/statements?from=" + next + "&refused=" + refused).then(function (r) { return r.json(); }).then(function (body) {
        next = body.next;
        refused = body.refusedNext;
        body.statements.forEach(function (s) { self.statement(s); });
        body.refused.forEach(function (entry) { self.refusal(entry); });
        setTimeout(poll, 0);
      }, function () { setTimeout(poll, 1000); });
    }
    poll();
  };

  P.Inspector = Inspector;
})(typeof window !== "undefined" ? window : this);
