/* blocks: one binder per block kind; each wires the block's controls and redraws its state. */
(function () {
  "use strict";
  var C = window.Coursec;
  var $ = function (r, s) { return C.dom.$(r, s); };
  var $$ = function (r, s) { return C.dom.$$(r, s); };
  var on = function (e, t, f) { C.dom.on(e, t, f); };
  var setText = function (e, t) { C.dom.setText(e, t); };

  C.draftFlushers = [];

  C.bindLesson = function (el, block, tracker) {
    var button = $(el, "[data-cs-action=read]");
    function render() {
      var done = !!tracker.record(block.key);
      if (button) button.disabled = done;
      setText($(el, "[data-cs-done]"), done ? C.t("done") : "");
    }
    on(button, "click", function () { tracker.lessonRead(block.key); render(); });
    render();
  };

  C.bindScenario = function (el, block, tracker) {
    var steps = $$(el, "[data-cs-step]");
    var last = $(el, "[data-cs-last]");
    function showLast(rec) {
      last.textContent = "";
      if (rec.path.length < 2) return;
      var from = steps[rec.path[rec.path.length - 2]];
      var toId = block.steps[rec.path[rec.path.length - 1]].id;
      var button = $(from, "[data-cs-target='" + toId + "']");
      if (!button) return;
      var line = document.createElement("p");
      line.textContent = C.t("you_chose", { choice: button.textContent.trim() });
      last.appendChild(line);
      var feedback = $(from, "template[data-cs-feedback='" + button.getAttribute("data-cs-choice") + "']");
      if (feedback) last.appendChild(feedback.content.cloneNode(true));
    }
    function render(focus) {
      var rec = tracker.record(block.key) || { path: [0] };
      var current = rec.path[rec.path.length - 1];
      steps.forEach(function (s, i) { s.hidden = i !== current; });
      showLast(rec);
      if (focus) {
        steps[current].setAttribute("tabindex", "-1");
        steps[current].focus();
      }
    }
    $$(el, "[data-cs-choice]").forEach(function (button) {
      on(button, "click", function () {
        tracker.choose(block.key, parseInt(button.getAttribute("data-cs-choice"), 10));
        render(true);
      });
    });
    $$(el, "[data-cs-action=replay]").forEach(function (button) {
      on(button, "click", function () { tracker.replay(block.key); render(true); });
    });
    render(false);
  };

  function checkedIndexes(fieldset) {
    return $$(fieldset, "input:checked").map(function (i) { return parseInt(i.value, 10); });
  }

  C.bindQuiz = function (el, block, tracker) {
    var form = $(el, "[data-cs-form]");
    var fieldsets = $$(el, "[data-cs-question]");
    var message = $(el, "[data-cs-message]");
    var retake = $(el, "[data-cs-action=retake]");
    function render() {
      var rec = tracker.record(block.key) || { tries: 0, answers: {} };
      block.questions.forEach(function (q, n) {
        var fs = fieldsets[n];
        var answer = rec.answers[q.key] || [];
        $$(fs, "input").forEach(function (input) {
          input.checked = answer.indexOf(parseInt(input.value, 10)) >= 0;
          input.disabled = !!rec.submitted;
        });
        $$(fs, "[data-cs-key]").forEach(function (key) { key.hidden = !rec.submitted; });
        var feedback = $(fs, "[data-cs-qfeedback]");
        feedback.hidden = !rec.submitted;
        var correct = tracker.questionCorrect(q, answer);
        fs.classList.toggle("cs-correct", !!rec.submitted && correct);
        fs.classList.toggle("cs-incorrect", !!rec.submitted && !correct);
        setText($(fs, "[data-cs-verdict]"), rec.submitted ? C.t(correct ? "correct" : "incorrect") : "");
      });
      $(el, "[data-cs-submit]").disabled = !!rec.submitted;
      var left = tracker.attemptsLeft(block.key);
      retake.hidden = !rec.submitted || left <= 0;
      if (rec.submitted) {
        var s = tracker.quizScore(block);
        var text = C.t("quiz_result", { correct: s.raw, total: s.max, percent: Math.round(100 * s.raw / (s.max || 1)) });
        setText(message, left <= 0 ? text + " " + C.t("no_attempts_left") : text);
      }
    }
    block.questions.forEach(function (q, n) {
      on(fieldsets[n], "change", function () { tracker.draftAnswer(block.key, q.key, checkedIndexes(fieldsets[n])); });
    });
    on(form, "submit", function (ev) {
      ev.preventDefault();
      var rec = tracker.record(block.key);
      var complete = rec && block.questions.every(function (q) { return (rec.answers[q.key] || []).length; });
      if (!complete) { setText(message, C.t("answer_all")); return; }
      tracker.submitQuiz(block.key);
      render();
    });
    on(retake, "click", function () {
      tracker.retakeQuiz(block.key);
      setText(message, "");
      render();
      var first = $(el, "input");
      if (first) first.focus();
    });
    render();
  };

  C.bindSurvey = function (el, block, tracker) {
    var form = $(el, "[data-cs-form]");
    var fieldsets = $$(el, "[data-cs-item]");
    var message = $(el, "[data-cs-message]");
    function render() {
      var rec = tracker.record(block.key) || { answers: {} };
      block.items.forEach(function (item, n) {
        $$(fieldsets[n], "input").forEach(function (input) {
          input.checked = parseInt(input.value, 10) === rec.answers[item.key];
        });
      });
      if (rec.done) setText(message, C.t("submitted"));
    }
    block.items.forEach(function (item, n) {
      on(fieldsets[n], "change", function () {
        var value = checkedIndexes(fieldsets[n])[0];
        if (value) tracker.draftSurvey(block.key, item.key, value);
      });
    });
    on(form, "submit", function (ev) {
      ev.preventDefault();
      var rec = tracker.record(block.key);
      if (!rec || !block.items.every(function (i) { return rec.answers[i.key]; })) {
        setText(message, C.t("answer_all"));
        return;
      }
      tracker.submitSurvey(block.key);
      render();
    });
    render();
  };

  C.bindText = function (el, block, tracker) {
    var area = $(el, "[data-cs-text]");
    var count = $(el, "[data-cs-wordcount]");
    var message = $(el, "[data-cs-message]");
    var timer = null;
    function renderCount() {
      var n = C.wordCount(area.value);
      setText(count, block.minWords ? C.t("words_min", { n: n, min: block.minWords }) : C.t("words", { n: n }));
    }
    function saveDraft() {
      clearTimeout(timer);
      timer = null;
      tracker.draftText(block.key, area.value);
    }
    var rec = tracker.record(block.key);
    if (rec) area.value = rec.text;
    if (rec && rec.done) setText(message, C.t("submitted"));
    renderCount();
    on(area, "input", function () {
      renderCount();
      clearTimeout(timer);
      timer = setTimeout(saveDraft, 500);
    });
    on(area, "blur", saveDraft);
    C.draftFlushers.push(function () { if (timer !== null) saveDraft(); });
    on($(el, "[data-cs-action=submit-text]"), "click", function () {
      var words = C.wordCount(area.value);
      if (!words) { setText(message, C.t("empty_text")); return; }
      if (words < block.minWords) { setText(message, C.t("too_few_words", { min: block.minWords })); return; }
      clearTimeout(timer);
      tracker.submitText(block.key, area.value);
      setText(message, C.t("submitted"));
    });
    on($(el, "[data-cs-action=download]"), "click", function () {
      var blob = new Blob([area.value], { type: "text/plain;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = el.getAttribute("data-cs-filename") || "artifact.txt";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  };
})();
