/* Test harness (LMS side): wraps a scorm-again API so that every call, its return value
 * and the error code after it are recorded in window.harnessCalls.  Lax mode mimics a
 * lax LMS: one function missing, read-only values returned empty, every Set accepted. */
window.harnessCalls = [];
window.installRecorder = function (api, names, errorFn, lax) {
  var errorCalls = ["LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic", "GetLastError", "GetErrorString", "GetDiagnostic"];
  var blanked = /^(cmi\.student_data\.mastery_score|cmi\.core\.lesson_mode|cmi\.core\.credit|cmi\.mode|cmi\.credit|cmi\.scaled_passing_score|cmi\.completion_threshold)$/;
  names.forEach(function (name) {
    var original = api[name];
    if (typeof original !== "function") return;
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var result = original.apply(api, args);
      var entry = { fn: name, args: args, result: String(result) };
      if (errorCalls.indexOf(name) < 0) entry.error = String(api[errorFn + "__original"]());
      if (lax && /GetValue$/.test(name) && blanked.test(args[0])) entry.result = result = "";
      if (lax && /SetValue$/.test(name)) result = "true";
      window.harnessCalls.push(entry);
      return result;
    };
    api[name + "__original"] = original;
  });
  if (lax) {
    delete api.LMSGetDiagnostic;
    delete api.GetDiagnostic;
  }
};

/* Where the package goes: an iframe (optionally nested N frames deep) or a popup. */
window.launchPackage = function (pkg) {
  var q = new URLSearchParams(window.location.search);
  var depth = parseInt(q.get("depth") || "1", 10);
  if (q.get("popup") === "1") {
    window.harnessPopup = window.open(pkg, "coursec-popup");
    return;
  }
  var src = pkg;
  if (depth > 1) src = "nest.html?depth=" + (depth - 1) + "&pkg=" + encodeURIComponent(pkg);
  var frame = document.createElement("iframe");
  frame.id = "sco";
  frame.title = "Course";
  frame.src = src;
  frame.style.width = "100%";
  frame.style.height = "900px";
  document.body.appendChild(frame);
};

/* End the session the way a learner does: the course frame goes away. */
window.unloadPackage = function () {
  if (window.harnessPopup) { window.harnessPopup.close(); return; }
  var frame = document.getElementById("sco");
  if (frame) frame.src = "about:blank";
};
