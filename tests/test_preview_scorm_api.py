"""The preview's own SCORM API objects (compiler/preview/static/scorm*.js) reject what a
strict LMS rejects: one test per rule, run in Chromium against our JavaScript."""
from __future__ import annotations

import pytest

from compiler.preview.server import PreviewServer

pytestmark = pytest.mark.browser

RUN = """([dialect, calls]) => {
  const P = window.CoursecPreview;
  const api = new P.StrictApi(P[dialect], {learnerId: "ana-lima", learnerName: "Lima, Ana", launchData: "cohort=x",
                                           masteryScore: 0.8, saved: null});
  const errorFn = dialect === "scorm12" ? "LMSGetLastError" : "GetLastError";
  return calls.map(([fn, ...args]) => [api[fn](...args), api[errorFn]()]);
}"""

INIT12 = ["LMSInitialize", ""]
INIT04 = ["Initialize", ""]
LONG = "x" * 4097


@pytest.fixture(scope="module")
def lms_page(browser, tmp_path_factory, sample_course):
    server = PreviewServer(sample_course, target="scorm12", build_root=tmp_path_factory.mktemp("build")).start()
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_function("window.CoursecPreview && window.CoursecPreview.scorm2004")
    yield page
    context.close()
    server.stop()


def run(page, dialect, calls):
    return page.evaluate(RUN, [dialect, calls])


SCORM12_RULES = {
    "get before initialize": ([["LMSGetValue", "cmi.core.lesson_status"]], "", "301"),
    "set before initialize": ([["LMSSetValue", "cmi.core.lesson_status", "incomplete"]], "false", "301"),
    "commit before initialize": ([["LMSCommit", ""]], "false", "301"),
    "finish before initialize": ([["LMSFinish", ""]], "false", "301"),
    "initialize twice": ([INIT12, INIT12], "false", "101"),
    "initialize with an argument": ([["LMSInitialize", "x"]], "false", "201"),
    "set a read-only element": ([INIT12, ["LMSSetValue", "cmi.core.student_id", "bo"]], "false", "403"),
    "set cmi.core.entry": ([INIT12, ["LMSSetValue", "cmi.core.entry", "resume"]], "false", "403"),
    "set cmi.launch_data": ([INIT12, ["LMSSetValue", "cmi.launch_data", "cohort=y"]], "false", "403"),
    "get write-only exit": ([INIT12, ["LMSGetValue", "cmi.core.exit"]], "", "404"),
    "get write-only session_time": ([INIT12, ["LMSGetValue", "cmi.core.session_time"]], "", "404"),
    "get a write-only interaction field": ([INIT12, ["LMSSetValue", "cmi.interactions.0.id", "q1"],
                                            ["LMSGetValue", "cmi.interactions.0.id"]], "", "404"),
    "bad lesson_status vocabulary": ([INIT12, ["LMSSetValue", "cmi.core.lesson_status", "done"]], "false", "405"),
    "lesson_status not attempted is the LMS's": ([INIT12, ["LMSSetValue", "cmi.core.lesson_status", "not attempted"]],
                                                 "false", "405"),
    "exit normal is 2004 only": ([INIT12, ["LMSSetValue", "cmi.core.exit", "normal"]], "false", "405"),
    "interaction result incorrect is 2004 only": ([INIT12, ["LMSSetValue", "cmi.interactions.0.id", "q1"],
                                                   ["LMSSetValue", "cmi.interactions.0.result", "incorrect"]],
                                                  "false", "405"),
    "bad interaction type": ([INIT12, ["LMSSetValue", "cmi.interactions.0.id", "q1"],
                              ["LMSSetValue", "cmi.interactions.0.type", "long-fill-in"]], "false", "405"),
    "suspend_data over 4096": ([INIT12, ["LMSSetValue", "cmi.suspend_data", LONG]], "false", "405"),
    "lesson_location over 255": ([INIT12, ["LMSSetValue", "cmi.core.lesson_location", "y" * 256]], "false", "405"),
    "session_time not HHHH:MM:SS.SS": ([INIT12, ["LMSSetValue", "cmi.core.session_time", "PT1M"]], "false", "405"),
    "score over 100": ([INIT12, ["LMSSetValue", "cmi.core.score.raw", "101"]], "false", "405"),
    "score not a number": ([INIT12, ["LMSSetValue", "cmi.core.score.raw", "ten"]], "false", "405"),
    "unknown element get": ([INIT12, ["LMSGetValue", "cmi.core.favourite_colour"]], "", "401"),
    "unknown element set": ([INIT12, ["LMSSetValue", "cmi.learner_id", "x"]], "false", "401"),
    "set a keyword": ([INIT12, ["LMSSetValue", "cmi.interactions._count", "3"]], "false", "402"),
    "_children of a leaf": ([INIT12, ["LMSGetValue", "cmi.core.student_id._children"]], "", "202"),
    "_count of a non-array": ([INIT12, ["LMSGetValue", "cmi.core._count"]], "", "203"),
    "interaction index skips ahead": ([INIT12, ["LMSSetValue", "cmi.interactions.1.id", "q2"]], "false", "201"),
    "set after finish": ([INIT12, ["LMSFinish", ""], ["LMSSetValue", "cmi.core.lesson_status", "completed"]],
                         "false", "301"),
    "get after finish": ([INIT12, ["LMSFinish", ""], ["LMSGetValue", "cmi.core.lesson_status"]], "", "301"),
    "finish twice": ([INIT12, ["LMSFinish", ""], ["LMSFinish", ""]], "false", "301"),
    "initialize after finish": ([INIT12, ["LMSFinish", ""], INIT12], "false", "101"),
}

SCORM12_ACCEPTS = {
    "learner id": ([INIT12, ["LMSGetValue", "cmi.core.student_id"]], "ana-lima"),
    "launch data carries the cohort": ([INIT12, ["LMSGetValue", "cmi.launch_data"]], "cohort=x"),
    "mastery score from the course": ([INIT12, ["LMSGetValue", "cmi.student_data.mastery_score"]], "80"),
    "first entry": ([INIT12, ["LMSGetValue", "cmi.core.entry"]], "ab-initio"),
    "suspend_data of exactly 4096": ([INIT12, ["LMSSetValue", "cmi.suspend_data", "x" * 4096]], "true"),
    "session time": ([INIT12, ["LMSSetValue", "cmi.core.session_time", "0000:01:30.5"]], "true"),
    "blank score": ([INIT12, ["LMSSetValue", "cmi.core.score.raw", ""]], "true"),
    "result wrong": ([INIT12, ["LMSSetValue", "cmi.interactions.0.id", "q1"],
                      ["LMSSetValue", "cmi.interactions.0.result", "wrong"]], "true"),
    "interaction count": ([INIT12, ["LMSSetValue", "cmi.interactions.0.id", "q1"],
                           ["LMSSetValue", "cmi.interactions.1.id", "q2"], ["LMSGetValue", "cmi.interactions._count"]], "2"),
    "core children": ([INIT12, ["LMSGetValue", "cmi.core.score._children"]], "raw,min,max"),
}

SCORM2004_RULES = {
    "get before initialize": ([["GetValue", "cmi.location"]], "", "122"),
    "set before initialize": ([["SetValue", "cmi.location", "m1"]], "false", "132"),
    "commit before initialize": ([["Commit", ""]], "false", "142"),
    "terminate before initialize": ([["Terminate", ""]], "false", "112"),
    "initialize twice": ([INIT04, INIT04], "false", "103"),
    "initialize with an argument": ([["Initialize", "x"]], "false", "201"),
    "initialize after terminate": ([INIT04, ["Terminate", ""], INIT04], "false", "104"),
    "get after terminate": ([INIT04, ["Terminate", ""], ["GetValue", "cmi.location"]], "", "123"),
    "set after terminate": ([INIT04, ["Terminate", ""], ["SetValue", "cmi.location", "m1"]], "false", "133"),
    "commit after terminate": ([INIT04, ["Terminate", ""], ["Commit", ""]], "false", "143"),
    "terminate twice": ([INIT04, ["Terminate", ""], ["Terminate", ""]], "false", "113"),
    "set a read-only element": ([INIT04, ["SetValue", "cmi.learner_id", "bo"]], "false", "404"),
    "set a keyword": ([INIT04, ["SetValue", "cmi.interactions._count", "1"]], "false", "404"),
    "get write-only exit": ([INIT04, ["GetValue", "cmi.exit"]], "", "405"),
    "get a value nobody set": ([INIT04, ["GetValue", "cmi.location"]], "", "403"),
    "bad completion_status vocabulary": ([INIT04, ["SetValue", "cmi.completion_status", "done"]], "false", "406"),
    "result wrong is 1.2 only": ([INIT04, ["SetValue", "cmi.interactions.0.id", "q1"],
                                 ["SetValue", "cmi.interactions.0.result", "wrong"]], "false", "406"),
    "scaled score out of range": ([INIT04, ["SetValue", "cmi.score.scaled", "1.5"]], "false", "407"),
    "progress_measure out of range": ([INIT04, ["SetValue", "cmi.progress_measure", "-0.1"]], "false", "407"),
    "suspend_data over 64000": ([INIT04, ["SetValue", "cmi.suspend_data", "x" * 64001]], "false", "406"),
    "session_time just PT": ([INIT04, ["SetValue", "cmi.session_time", "PT"]], "false", "406"),
    "session_time in 1.2 format": ([INIT04, ["SetValue", "cmi.session_time", "00:01:00"]], "false", "406"),
    "unknown element": ([INIT04, ["GetValue", "cmi.core.lesson_status"]], "", "401"),
    "interaction field before its id": ([INIT04, ["SetValue", "cmi.interactions.0.type", "choice"]], "false", "408"),
    "response before the type": ([INIT04, ["SetValue", "cmi.interactions.0.id", "q1"],
                                  ["SetValue", "cmi.interactions.0.learner_response", "a"]], "false", "408"),
    "new interaction beyond _count": ([INIT04, ["SetValue", "cmi.interactions.2.id", "q3"]], "false", "351"),
    "choice response repeats an id": ([INIT04, ["SetValue", "cmi.interactions.0.id", "q1"],
                                       ["SetValue", "cmi.interactions.0.type", "choice"],
                                       ["SetValue", "cmi.interactions.0.learner_response", "a[,]a"]], "false", "406"),
    "bad navigation request": ([INIT04, ["SetValue", "adl.nav.request", "jump"]], "false", "406"),
    "_children of a leaf": ([INIT04, ["GetValue", "cmi.location._children"]], "", "301"),
}

SCORM2004_ACCEPTS = {
    "learner name": ([INIT04, ["GetValue", "cmi.learner_name"]], "Lima, Ana"),
    "scaled passing score": ([INIT04, ["GetValue", "cmi.scaled_passing_score"]], "0.8"),
    "version": ([INIT04, ["GetValue", "cmi._version"]], "1.0"),
    "session time": ([INIT04, ["SetValue", "cmi.session_time", "PT1H5M3.25S"]], "true"),
    "interaction read back": ([INIT04, ["SetValue", "cmi.interactions.0.id", "q1"],
                               ["SetValue", "cmi.interactions.0.type", "choice"],
                               ["SetValue", "cmi.interactions.0.learner_response", "a[,]c"],
                               ["GetValue", "cmi.interactions.0.learner_response"]], "a[,]c"),
    "exit suspend": ([INIT04, ["SetValue", "cmi.exit", "suspend"]], "true"),
    "success decided by the passing score": ([INIT04, ["SetValue", "cmi.success_status", "passed"],
                                              ["SetValue", "cmi.score.scaled", "0.5"],
                                              ["GetValue", "cmi.success_status"]], "failed"),
    "success unknown without a score": ([INIT04, ["SetValue", "cmi.success_status", "passed"],
                                         ["GetValue", "cmi.success_status"]], "unknown"),
}


@pytest.mark.parametrize("calls,result,code", SCORM12_RULES.values(), ids=SCORM12_RULES.keys())
def test_scorm12_rejects(lms_page, calls, result, code):
    assert run(lms_page, "scorm12", calls)[-1] == [result, code]


@pytest.mark.parametrize("calls,result", SCORM12_ACCEPTS.values(), ids=SCORM12_ACCEPTS.keys())
def test_scorm12_accepts(lms_page, calls, result):
    answers = run(lms_page, "scorm12", calls)
    assert answers[-1] == [result, "0"]
    assert all(code == "0" for _, code in answers)


@pytest.mark.parametrize("calls,result,code", SCORM2004_RULES.values(), ids=SCORM2004_RULES.keys())
def test_scorm2004_rejects(lms_page, calls, result, code):
    assert run(lms_page, "scorm2004", calls)[-1] == [result, code]


@pytest.mark.parametrize("calls,result", SCORM2004_ACCEPTS.values(), ids=SCORM2004_ACCEPTS.keys())
def test_scorm2004_accepts(lms_page, calls, result):
    answers = run(lms_page, "scorm2004", calls)
    assert answers[-1] == [result, "0"]
    assert all(code == "0" for _, code in answers)


def test_error_strings_follow_the_standard(lms_page):
    strings = lms_page.evaluate("""() => {
      const P = window.CoursecPreview;
      const a = new P.StrictApi(P.scorm12, {}), b = new P.StrictApi(P.scorm2004, {});
      return [a.LMSGetErrorString("403"), b.GetErrorString("408"), b.GetErrorString("0")];
    }""")
    assert strings == ["Element is read only", "Data Model Dependency Not Established", "No Error"]


def test_a_resumed_session_gets_entry_resume_and_the_saved_data(lms_page):
    values = lms_page.evaluate("""() => {
      const P = window.CoursecPreview;
      const saved = {cmi: {"cmi.core.exit": "suspend", "cmi.suspend_data": "state", "cmi.core.lesson_location": "m2",
                           "cmi.core.session_time": "0000:10:00", "cmi.core.total_time": "0001:00:00",
                           "cmi.core.lesson_status": "incomplete"}};
      const api = new P.StrictApi(P.scorm12, {learnerId: "a", learnerName: "A", saved: saved});
      api.LMSInitialize("");
      return ["cmi.core.entry", "cmi.suspend_data", "cmi.core.lesson_location", "cmi.core.total_time",
              "cmi.core.lesson_status"].map(e => api.LMSGetValue(e));
    }""")
    assert values == ["resume", "state", "m2", "0001:10:00.00", "incomplete"]


def test_every_call_and_its_error_reach_the_inspector(lms_page):
    shown = lms_page.evaluate("""() => {
      const P = window.CoursecPreview;
      P.inspector.clear();
      const api = new P.StrictApi(P.scorm12, {learnerId: "a", learnerName: "A"},
                                  {onCall: call => P.inspector.call(call, api)});
      api.LMSInitialize("");
      api.LMSSetValue("cmi.core.student_id", "b");
      api.LMSSetValue("cmi.core.lesson_location", "m1");
      return {items: [...document.querySelectorAll("#calls li")].map(li => [li.textContent, li.className]),
              location: document.querySelector("#cmi-table tr[data-element='cmi.core.lesson_location'] td:last-child").textContent};
    }""")
    assert len(shown["items"]) == 3
    assert shown["items"][1][1] == "failed" and "error 403" in shown["items"][1][0]
    assert shown["items"][2][1] == "" and "cmi.core.lesson_location" in shown["items"][2][0]
    assert shown["location"] == "m1"
