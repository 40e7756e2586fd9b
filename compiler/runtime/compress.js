/* compress: a small LZ77 for suspend data that would not fit otherwise.
 * Output stays text: "z1" then literals ("~" doubled) and back-references
 * "~" + offset (2 base-36 digits, 1..1295) + length - MIN (1 base-36 digit). */
(function () {
  "use strict";
  var C = window.Coursec;
  var MAGIC = "z1";
  var WINDOW = 1295;
  var MIN = 5;
  var MAX = MIN + 35;

  function longestMatch(text, i) {
    var best = 0, bestOffset = 0;
    var start = Math.max(0, i - WINDOW);
    for (var j = i - 1; j >= start; j--) {
      if (text.charCodeAt(j) !== text.charCodeAt(i)) continue;
      var n = 1;
      while (n < MAX && i + n < text.length && text.charCodeAt(j + n) === text.charCodeAt(i + n)) n++;
      if (n > best) {
        best = n;
        bestOffset = i - j;
        if (n === MAX) break;
      }
    }
    return { length: best, offset: bestOffset };
  }

  function deflate(text) {
    var out = [MAGIC];
    var i = 0;
    while (i < text.length) {
      var match = longestMatch(text, i);
      if (match.length >= MIN) {
        var offset = match.offset.toString(36);
        out.push("~" + (offset.length < 2 ? "0" + offset : offset) + (match.length - MIN).toString(36));
        i += match.length;
      } else {
        out.push(text[i] === "~" ? "~~" : text[i]);
        i += 1;
      }
    }
    return out.join("");
  }

  function inflate(text) {
    var out = "";
    var i = MAGIC.length;
    while (i < text.length) {
      var ch = text[i];
      if (ch !== "~") { out += ch; i += 1; continue; }
      if (text[i + 1] === "~") { out += "~"; i += 2; continue; }
      var offset = parseInt(text.substr(i + 1, 2), 36);
      var length = parseInt(text[i + 3], 36) + MIN;
      if (!(offset > 0) || offset > out.length || !(length >= MIN)) throw new Error("corrupt compressed state");
      var from = out.length - offset;
      for (var k = 0; k < length; k++) out += out[from + k];
      i += 4;
    }
    return out;
  }

  C.Compress = {
    deflate: deflate,
    inflate: inflate,
    isCompressed: function (text) { return String(text).slice(0, 2) === MAGIC; }
  };
})();
