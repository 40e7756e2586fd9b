/* coursec xAPI queue: every statement is stored here BEFORE it is sent.
 *
 * The queue lives in localStorage; where that is unavailable (blocked, partitioned in a
 * third-party frame, full) it falls back to sessionStorage, then to memory, and says so in
 * the console.  Statements leave the queue only when the LRS acknowledged them; a statement
 * the LRS rejects as malformed (400) moves to a dead-letter list that is kept, never retried
 * forever and never silently dropped.  Plain ES5-compatible JavaScript, no dependencies.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});

  function MemoryStorage() {
    var data = {};
    this.getItem = function (k) { return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null; };
    this.setItem = function (k, v) { data[k] = String(v); };
    this.removeItem = function (k) { delete data[k]; };
  }

  function usable(getStorage) {
    try {
      var storage = getStorage();
      var probe = "coursec.probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch (e) {
      return null;
    }
  }

  /* The first storage that works: localStorage, sessionStorage, memory. */
  function pickStorage(log) {
    var local = usable(function () { return root.localStorage; });
    if (local) return { storage: local, kind: "localStorage" };
    var session = usable(function () { return root.sessionStorage; });
    if (session) {
      log.warn("coursec xAPI: localStorage is unavailable; statements are queued in sessionStorage (kept until the tab closes)");
      return { storage: session, kind: "sessionStorage" };
    }
    log.warn("coursec xAPI: no web storage; statements are queued in memory only (a reload before delivery loses them)");
    return { storage: new MemoryStorage(), kind: "memory" };
  }

  function StatementQueue(scope, options) {
    options = options || {};
    this.log = options.log || root.console;
    var picked = options.storage ? { storage: options.storage, kind: "custom" } : pickStorage(this.log);
    this.storage = picked.storage;
    this.kind = picked.kind;
    this.pendingKey = "coursec.xapi.queue:" + scope;
    this.deadKey = "coursec.xapi.dead:" + scope;
    this.memory = { pending: null, dead: null };
  }

  StatementQueue.prototype.read = function (key, slot) {
    if (this.memory[slot]) return this.memory[slot];
    try {
      var text = this.storage.getItem(key);
      return text ? JSON.parse(text) : [];
    } catch (e) {
      this.log.error("coursec xAPI: the stored queue could not be read", e);
      return [];
    }
  };

  /* Write through; if storage refuses (quota), keep the list in memory and say so. */
  StatementQueue.prototype.write = function (key, slot, list) {
    try {
      this.storage.setItem(key, JSON.stringify(list));
      this.memory[slot] = null;
    } catch (e) {
      if (!this.memory[slot]) {
        this.log.warn("coursec xAPI: storage is full; queued statements are kept in memory until delivered", e);
      }
      this.memory[slot] = list;
    }
  };

  StatementQueue.prototype.pending = function () {
    return this.read(this.pendingKey, "pending");
  };

  StatementQueue.prototype.deadLetters = function () {
    return this.read(this.deadKey, "dead");
  };

  /* Add statements; an id already queued is not queued twice (so a batch never repeats an id). */
  StatementQueue.prototype.push = function (statements) {
    var list = this.pending();
    var seen = {};
    list.forEach(function (s) { seen[s.id] = true; });
    statements.forEach(function (s) {
      if (!seen[s.id]) { list.push(s); seen[s.id] = true; }
    });
    this.write(this.pendingKey, "pending", list);
  };

  /* Remove acknowledged statements by id. */
  StatementQueue.prototype.acknowledge = function (ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    var list = this.pending().filter(function (s) { return !gone[s.id]; });
    this.write(this.pendingKey, "pending", list);
  };

  /* Move one rejected statement aside with the LRS's reason. */
  StatementQueue.prototype.reject = function (statement, status, reason) {
    this.acknowledge([statement.id]);
    var dead = this.deadLetters();
    dead.push({ statement: statement, status: status, reason: reason, at: new Date().toISOString() });
    this.write(this.deadKey, "dead", dead);
    this.log.error("coursec xAPI: the LRS rejected statement " + statement.id + " (" + status + "): " +
      reason + " - kept aside in " + this.deadKey);
  };

  ns.StatementQueue = StatementQueue;
  ns.MemoryStorage = MemoryStorage;
})(typeof window !== "undefined" ? window : this);
