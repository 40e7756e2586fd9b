/* ui: the page. Shows one module at a time, wires each block to the tracker and draws
 * the saved state back into the page (so a resumed learner sees every answer and draft). */
(function () {
  "use strict";
  var C = window.Coursec;

  function $(root, selector) { return root.querySelector(selector); }
  function $$(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function on(el, type, fn) { if (el) el.addEventListener(type, fn); }
  function setText(el, text) { if (el) el.textContent = text; }

  C.showNote = function (text) {
    var note = document.getElementById("cs-note");
    if (!note) return;
    note.textContent = text;
    note.hidden = false;
  };

  function UI(tracker) {
    this.tracker = tracker;
    this.pages = $$(document, "[data-cs-page]");
    this.pageIds = this.pages.map(function (p) { return p.getAttribute("data-cs-page"); });
    this.current = "start";
    this.binders = { lesson: C.bindLesson, scenario: C.bindScenario, quiz: C.bindQuiz,
                     survey: C.bindSurvey, reflection: C.bindText, artifact: C.bindText };
  }

  UI.prototype.show = function (pageId, focus) {
    if (this.pageIds.indexOf(pageId) < 0) pageId = "start";
    this.current = pageId;
    this.pages.forEach(function (p) { p.hidden = p.getAttribute("data-cs-page") !== pageId; });
    $$(document, "[data-cs-goto]").forEach(function (a) {
      if (a.getAttribute("data-cs-goto") === pageId) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    var index = this.pageIds.indexOf(pageId);
    var page = this.pages[index];
    $$(page, "[data-cs-action=previous]").forEach(function (b) { b.disabled = index <= 0; });
    $$(page, "[data-cs-action=next]").forEach(function (b) { b.disabled = index >= this.pageIds.length - 1; }, this);
    if (focus) {
      var heading = $(page, "h1");
      if (heading) heading.focus();
      window.scrollTo(0, 0);
    }
    this.tracker.setLocation(pageId);
  };

  UI.prototype.step = function (delta) {
    var index = this.pageIds.indexOf(this.current) + delta;
    if (index >= 0 && index < this.pageIds.length) this.show(this.pageIds[index], true);
  };

  UI.prototype.bindNavigation = function () {
    var self = this;
    $$(document, "[data-cs-goto]").forEach(function (a) {
      on(a, "click", function (ev) { ev.preventDefault(); self.show(a.getAttribute("data-cs-goto"), true); });
    });
    $$(document, "[data-cs-action=previous]").forEach(function (b) { on(b, "click", function () { self.step(-1); }); });
    $$(document, "[data-cs-action=next]").forEach(function (b) { on(b, "click", function () { self.step(1); }); });
    $$(document, "[data-cs-exit]").forEach(function (b) { on(b, "click", function () { C.exit(); }); });
  };

  UI.prototype.bindStart = function () {
    var self = this;
    var form = $(document, "[data-cs-cohort-form]");
    on($(document, "[data-cs-action=begin]"), "click", function () {
      if (form && !form.hidden) {
        var picked = $(form, "input:checked");
        if (!picked) {
          setText($(document, "[data-cs-start-message]"), C.t("cohort_required"));
          return;
        }
        self.tracker.setCohort(picked.value);
        self.renderCohort();
      }
      self.step(1);
    });
  };

  UI.prototype.renderCohort = function () {
    var form = $(document, "[data-cs-cohort-form]");
    var chosen = $(document, "[data-cs-cohort-chosen]");
    var cohort = this.tracker.state.cohort;
    if (!form) return;
    form.hidden = !!cohort || !C.config.cohorts.length || this.cohortFixed;
    setText($(document, "[data-cs-start-message]"), "");
    if (cohort && chosen) {
      var label = $(form, "label[for='cohort-" + cohort + "']");
      chosen.textContent = C.t("cohort_chosen", { title: label ? label.textContent : cohort });
      chosen.hidden = false;
    }
  };

  UI.prototype.bindBlocks = function () {
    var self = this;
    $$(document, "[data-cs-block]").forEach(function (el) {
      var found = C.findBlock(el.getAttribute("data-cs-block"));
      var bind = found && self.binders[found.block.kind];
      if (bind) bind(el, found.block, self.tracker);
    });
  };

  UI.prototype.renderStatus = function (snapshot) {
    var tracker = this.tracker;
    var percent = Math.round(snapshot.progress * 100);
    var bar = document.getElementById("cs-progress");
    if (bar) bar.value = percent;
    setText(document.getElementById("cs-progress-text"), percent + "%");
    C.config.modules.forEach(function (m) {
      var required = tracker.moduleRequired(m);
      var status = tracker.moduleDone(m) ? "status_done" : required ? "" : "status_optional";
      setText($(document, "[data-cs-module-status='" + m.id + "']"), status ? "(" + C.t(status) + ")" : "");
      var page = $(document, "[data-cs-page='" + m.id + "']");
      var note = page && $(page, "[data-cs-optional]");
      if (note) note.hidden = required;
    });
    this.renderSummary(snapshot);
  };

  UI.prototype.renderSummary = function (snapshot) {
    var key = !snapshot.complete ? "finish_incomplete" :
      snapshot.success === "passed" ? "finish_passed" : snapshot.success === "failed" ? "finish_failed" : "finish_complete";
    setText($(document, "[data-cs-summary]"), C.t(key));
    setText($(document, "[data-cs-score-summary]"),
      snapshot.score ? C.t("score", { percent: Math.round(snapshot.score.scaled * 100) }) : "");
  };

  UI.prototype.start = function () {
    var self = this;
    this.bindNavigation();
    this.bindStart();
    this.bindBlocks();
    this.renderCohort();
    this.tracker.onChange = function (snapshot) { self.renderStatus(snapshot); };
  };

  C.UI = UI;
  C.dom = { $: $, $$: $$, on: on, setText: setText };
})();
