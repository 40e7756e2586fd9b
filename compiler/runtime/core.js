/* core: namespace, the event stream every adapter consumes, small helpers. */
(function () {
  "use strict";
  var C = (window.Coursec = window.Coursec || {});
  C.config = window.COURSEC_CONFIG;
  C.vocabulary = window.COURSEC_VOCABULARY;
  C.adapters = {};

  /* The learner's events, in the vocabulary's words. Adapters subscribe to them. */
  C.EVENTS = [
    "lesson completed", "choice made", "scenario finished", "question answered", "quiz finished",
    "survey item answered", "reflection submitted", "artifact submitted",
    "module done", "course done"
  ];

  function EventStream() {
    this.handlers = [];
  }
  EventStream.prototype.subscribe = function (handler) {
    this.handlers.push(handler);
  };
  EventStream.prototype.emit = function (type, detail) {
    if (C.EVENTS.indexOf(type) < 0) throw new Error("unknown event " + type);
    for (var i = 0; i < this.handlers.length; i++) {
      try {
        this.handlers[i](type, detail);
      } catch (err) {
        C.warn("an event handler failed on '" + type + "'", err);
      }
    }
  };
  C.EventStream = EventStream;

  C.warn = function (message, detail) {
    if (window.console && console.warn) console.warn("[coursec] " + message, detail === undefined ? "" : detail);
  };

  /* A UI string with {placeholders} filled in. */
  C.t = function (key, values) {
    var text = (C.config.strings && C.config.strings[key]) || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  };

  C.wordCount = function (text) {
    var trimmed = String(text || "").trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  };

  C.b36 = function (n) {
    return n.toString(36);
  };

  C.uuid = function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  };

  /* Look-ups over the compiled course structure. */
  C.findBlock = function (key) {
    var modules = C.config.modules;
    for (var i = 0; i < modules.length; i++) {
      for (var j = 0; j < modules[i].blocks.length; j++) {
        if (modules[i].blocks[j].key === key) return { module: modules[i], block: modules[i].blocks[j] };
      }
    }
    return null;
  };
  C.findModule = function (id) {
    return C.config.modules.filter(function (m) { return m.id === id || m.key === id; })[0] || null;
  };
})();
