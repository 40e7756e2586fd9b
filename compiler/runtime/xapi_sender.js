/* coursec xAPI sender: delivers the queue to the LRS, at least once, with the same ids.
 *
 * - Batches: POST an array of the oldest queued statements (at most `maxBatch`).
 * - Pace: at most one request per `minInterval` ms (2 s) of steady activity.
 * - Retries with exponential backoff on network errors, 5xx, 401/403/404 and 429 (honouring
 *   Retry-After); a 401 first asks the credentials provider for fresh credentials.
 * - 409 (an id the LRS already holds) counts as delivered.  The queue never holds an id twice,
 *   so a batch never repeats an id; if a batch still gets a 400, 409, 413 or 422 (Ralph's answer
 *   to a malformed statement) it is split and its
 *   statements are sent one by one, so that only the faulty statement goes to the dead-letter
 *   list (kept, shown in the console) and the good ones are delivered.
 * - When the page is hidden or unloaded, everything queued is sent at once with
 *   fetch(keepalive) in bodies under 60 KB.  Nothing leaves the queue before the LRS
 *   acknowledged it, so a reload resends the rest with the same ids.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});
  var KEEPALIVE_BYTES = 60000;

  function StatementSender(options) {
    this.endpoint = ns.normalizeEndpoint(options.endpoint);
    this.queue = options.queue;
    this.credentials = options.credentials || new ns.StaticAuth(null);
    this.minInterval = options.minInterval === undefined ? 2000 : options.minInterval;
    this.maxBatch = options.maxBatch || 50;
    this.maxBackoff = options.maxBackoff || 60000;
    this.fetch = options.fetch || root.fetch.bind(root);
    this.log = options.log || root.console;
    this.lastSend = -Infinity;
    this.retryAt = 0;
    this.failures = 0;
    this.isolate = 0;
    this.inflight = {};
    this.busy = false;
    this.timer = null;
    this.waiters = [];
    this.requests = 0;
  }

  ns.normalizeEndpoint = function (endpoint) {
    return endpoint && endpoint.charAt(endpoint.length - 1) !== "/" ? endpoint + "/" : endpoint;
  };

  /* Queue statements (stored before anything is sent) and schedule delivery. */
  StatementSender.prototype.send = function (statements) {
    this.queue.push([].concat(statements));
    this.schedule();
  };

  StatementSender.prototype.schedule = function () {
    if (this.timer || this.busy || !this.queue.pending().length) return;
    var now = Date.now();
    var pace = this.isolate ? 50 : this.minInterval;
    var delay = Math.max(0, this.lastSend + pace - now, this.retryAt - now);
    var self = this;
    this.timer = setTimeout(function () { self.timer = null; self.sendNext(); }, delay);
  };

  StatementSender.prototype.takeBatch = function () {
    var inflight = this.inflight;
    var free = this.queue.pending().filter(function (s) { return !inflight[s.id]; });
    return free.slice(0, this.isolate ? 1 : this.maxBatch);
  };

  StatementSender.prototype.sendNext = function () {
    var batch = this.takeBatch();
    if (!batch.length) return this.settleWaiters();
    var self = this;
    this.busy = true;
    this.lastSend = Date.now();
    this.post(batch, false).then(function () {
      self.busy = false;
      self.settleWaiters();
      self.schedule();
    });
  };

  StatementSender.prototype.headers = function (auth) {
    var headers = { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" };
    if (auth) headers.Authorization = auth;
    return headers;
  };

  /* One POST of `batch`; resolves when its outcome has been applied to the queue. */
  StatementSender.prototype.post = function (batch, keepalive) {
    var self = this;
    batch.forEach(function (s) { self.inflight[s.id] = true; });
    this.requests += 1;
    return this.credentials.auth().then(function (auth) {
      return self.fetch(self.endpoint + "statements", {
        method: "POST", headers: self.headers(auth), body: JSON.stringify(batch), keepalive: keepalive
      });
    }).then(function (response) {
      return self.handle(batch, response);
    }, function (error) {
      self.backoff(null, "network: " + (error && error.message));
    }).then(function () {
      batch.forEach(function (s) { delete self.inflight[s.id]; });
    });
  };

  StatementSender.prototype.handle = function (batch, response) {
    var status = response.status;
    var ids = batch.map(function (s) { return s.id; });
    if (status >= 200 && status < 300) return this.delivered(ids);
    if (status === 409 && batch.length === 1) {
      this.log.info("coursec xAPI: the LRS already holds statement " + ids[0] + " (409); counted as delivered");
      return this.delivered(ids);
    }
    if (status === 400 || status === 409 || status === 413 || status === 422) return this.rejected(batch, response);
    if (status === 401) this.credentials.invalidate();
    var retryAfter = status === 429 ? response.headers.get("Retry-After") : null;
    this.backoff(retryAfter, "HTTP " + status);
  };

  StatementSender.prototype.delivered = function (ids) {
    this.queue.acknowledge(ids);
    this.failures = 0;
    this.retryAt = 0;
    if (this.isolate) this.isolate -= 1;
  };

  /* A refused batch is split into single statements; a refused single one is kept aside. */
  StatementSender.prototype.rejected = function (batch, response) {
    if (batch.length > 1) {
      this.isolate = batch.length;
      return;
    }
    var queue = this.queue;
    if (this.isolate) this.isolate -= 1;
    return response.text().then(function (text) {
      queue.reject(batch[0], response.status, text.slice(0, 500));
    });
  };

  StatementSender.prototype.backoff = function (retryAfter, why) {
    this.failures += 1;
    var delay = Math.min(this.maxBackoff, 1000 * Math.pow(2, this.failures - 1));
    delay = delay * (1 + Math.random() * 0.1);
    var seconds = retryAfter ? parseRetryAfter(retryAfter) : null;
    if (seconds !== null) delay = Math.max(delay, seconds * 1000);
    this.retryAt = Date.now() + delay;
    this.log.warn("coursec xAPI: delivery failed (" + why + "); " + this.queue.pending().length +
      " statement(s) kept, retry in " + Math.round(delay) + " ms");
  };

  function parseRetryAfter(value) {
    if (/^\d+$/.test(value)) return parseInt(value, 10);
    var when = Date.parse(value);
    return isNaN(when) ? null : Math.max(0, (when - Date.now()) / 1000);
  }

  /* Send now, ignoring pace and backoff; resolves true once the queue is empty. */
  StatementSender.prototype.flush = function (timeoutMs) {
    var self = this;
    this.retryAt = 0;
    this.lastSend = -Infinity;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    var done = new Promise(function (resolve) { self.waiters.push(resolve); });
    this.schedule();
    this.settleWaiters();
    if (!timeoutMs) return done;
    return Promise.race([done, new Promise(function (r) { setTimeout(function () { r(false); }, timeoutMs); })]);
  };

  StatementSender.prototype.settleWaiters = function () {
    if (this.queue.pending().length) return;
    var waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(function (resolve) { resolve(true); });
  };

  /* Page hidden or unloading: everything queued goes out now with keepalive. */
  StatementSender.prototype.flushOnHide = function () {
    var inflight = this.inflight;
    var free = this.queue.pending().filter(function (s) { return !inflight[s.id]; });
    var chunk = [];
    var size = 2;
    var self = this;
    free.forEach(function (s) {
      var length = JSON.stringify(s).length + 1;
      if (chunk.length && size + length > KEEPALIVE_BYTES) { self.post(chunk, true); chunk = []; size = 2; }
      chunk.push(s);
      size += length;
    });
    if (chunk.length) this.post(chunk, true);
  };

  /* Wire page lifecycle events: flush when hidden, retry when the network comes back. */
  StatementSender.prototype.watchPage = function (doc) {
    var self = this;
    doc = doc || root.document;
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden") self.flushOnHide();
    });
    root.addEventListener("pagehide", function () { self.flushOnHide(); });
    root.addEventListener("online", function () { self.flush(); });
    this.schedule();
  };

  ns.StatementSender = StatementSender;
})(typeof window !== "undefined" ? window : this);
