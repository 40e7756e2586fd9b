"""The saved-state encoding in Chromium: the worst case fits compiler.state_budget, the
compressor round-trips, and unreadable saved data never breaks the page."""
from __future__ import annotations

import pytest

from compiler.render import RenderOptions, render_site
from compiler.source import load_course
from compiler.state_budget import worst_case
from tests.conftest import SAMPLE_COURSE
from tests.support import course_models as cm

pytestmark = pytest.mark.browser

# Fill every block with the longest state a learner can produce: texts at maxlength made of
# the characters most costly to escape, every question and item answered, long scenario paths.
WORST_STATE = """() => {
  const C = window.Coursec, state = C.tracker.state;
  state.cohort = C.config.cohorts.reduce((a, b) => (b.length > a.length ? b : a), "");
  state.bookmark = "~";
  for (const m of C.config.modules) for (const b of m.blocks) {
    if (b.kind === "lesson") state.blocks[b.key] = {kind: "L", done: true};
    if (b.kind === "scenario") state.blocks[b.key] = {kind: "S", done: true,
      path: Array.from({length: 2 * b.steps.length}, (_, i) => b.steps.length - 1 - (i % b.steps.length))};
    if (b.kind === "quiz") state.blocks[b.key] = {kind: "Q", tries: 35, submitted: true,
      answers: Object.fromEntries(b.questions.map(q => [q.key, q.options.map((_, i) => i)]))};
    if (b.kind === "survey") state.blocks[b.key] = {kind: "V", done: true,
      answers: Object.fromEntries(b.items.map(i => [i.key, b.scale]))};
    if (b.kind === "reflection" || b.kind === "artifact")
      state.blocks[b.key] = {kind: b.kind === "reflection" ? "R" : "A", done: true, text: '"\\\\\\n<'.repeat(b.maxChars).slice(0, b.maxChars)};
  }
  const text = C.State.encode(state);
  const back = C.State.decode(text);
  return {length: text.length, same: C.State.encode(back) === text};
}"""


@pytest.mark.parametrize("which", ["sample", "tiny"])
def test_worst_case_state_fits_the_budget_lint_uses(page, static_server, tmp_path, which):
    course = load_course(SAMPLE_COURSE)[0] if which == "sample" else cm.tiny_course(tmp_path)
    pkg = static_server.publish(f"state-{which}", render_site(course, RenderOptions(target="web")))
    page.goto(f"{static_server.url}/{pkg}")
    result = page.evaluate(WORST_STATE)
    assert result["same"], "the worst-case state does not round-trip"
    assert result["length"] <= worst_case(course)


def test_compressor_round_trips_and_shrinks_repetitive_text(page, static_server, tmp_path):
    pkg = static_server.publish("compress", render_site(cm.tiny_course(tmp_path), RenderOptions(target="web")))
    page.goto(f"{static_server.url}/{pkg}")
    result = page.evaluate("""() => {
      const Z = window.Coursec.Compress;
      const samples = ["", "~", "~~~~ ~1a ~zz", "abcabcabcabcabcabcabc", "é😀".repeat(300),
        Array.from({length: 4000}, (_, i) => "word" + (i % 50) + (i % 7 ? " " : "~")).join("")];
      return samples.map(s => ({ok: Z.inflate(Z.deflate(s)) === s, ratio: s.length ? Z.deflate(s).length / s.length : 0}));
    }""")
    assert all(r["ok"] for r in result)
    assert result[-1]["ratio"] < 0.5


def test_unreadable_saved_state_starts_fresh_without_errors(page, static_server, tmp_path):
    pkg = static_server.publish("garbage", render_site(cm.tiny_course(tmp_path), RenderOptions(target="web")))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for garbage in ["c1zz:", "not a state", "c15:1.0.0c:0123456789abb:chat-agents0:0:zzzQ9", "z1~99z"]:
        page.goto(f"{static_server.url}/recorder.js")  # same origin, course not running
        page.evaluate("(g) => localStorage.setItem('coursec:https://courses.example.org/tiny', JSON.stringify({suspendData: g}))", garbage)
        page.goto(f"{static_server.url}/{pkg}")
        assert page.is_visible("[data-cs-page]:not([hidden])")
        assert page.evaluate("window.Coursec.launch.suspendData") == garbage
    assert errors == []
