/* coursec xAPI credentials: where the Authorization header of LRS requests comes from.
 *
 * Every provider has the same two methods: auth() -> Promise<string|null> and invalidate()
 * (called after a 401, so the next auth() gets fresh credentials where that is possible).
 *   StaticAuth  - a fixed value: the TinCan launch `auth`, or a key embedded at build time
 *                 with --embed-credentials (learners can read it; a write-only key only).
 *   TokenAuth   - the preferred way: POST {actor, registration, activityId} to the
 *                 organisation's token URL with the LMS cookies; the answer is
 *                 {"auth": "Basic ...", "expires": ISO-8601}; refetched on expiry and on 401.
 */
(function (root) {
  "use strict";
  var ns = (root.coursec = root.coursec || {});

  function StaticAuth(value) {
    this.value = value || null;
  }
  StaticAuth.prototype.name = "static";
  StaticAuth.prototype.auth = function () { return Promise.resolve(this.value); };
  StaticAuth.prototype.invalidate = function () {};

  function TokenAuth(tokenUrl, request, options) {
    options = options || {};
    this.tokenUrl = tokenUrl;
    this.request = request; // {actor, registration, activityId}
    this.fetch = options.fetch || root.fetch.bind(root);
    this.now = options.now || Date.now;
    this.current = null; // {auth, expiresAt, margin}
    this.pending = null;
    this.fetches = 0;
  }
  TokenAuth.prototype.name = "token";

  /* A token counts as expired a little early: a tenth of its lifetime, at most 10 s. */
  TokenAuth.prototype.fresh = function () {
    var c = this.current;
    return !!c && this.now() < c.expiresAt - c.margin;
  };

  TokenAuth.prototype.auth = function () {
    if (this.fresh()) return Promise.resolve(this.current.auth);
    if (!this.pending) {
      var self = this;
      this.pending = this.fetchToken().then(function (token) {
        self.pending = null;
        self.current = token;
        return token.auth;
      }, function (error) {
        self.pending = null;
        throw error;
      });
    }
    return this.pending;
  };

  TokenAuth.prototype.fetchToken = function () {
    var self = this;
    this.fetches += 1;
    return this.fetch(this.tokenUrl, {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(this.request)
    }).then(function (response) {
      if (!response.ok) throw new Error("token URL answered " + response.status);
      return response.json();
    }).then(function (body) {
      if (!body || typeof body.auth !== "string") throw new Error("token URL gave no auth");
      var expiresAt = body.expires ? Date.parse(body.expires) : self.now() + 300000;
      var lifetime = Math.max(0, expiresAt - self.now());
      return { auth: body.auth, expiresAt: expiresAt, margin: Math.min(10000, lifetime / 10) };
    });
  };

  TokenAuth.prototype.invalidate = function () { this.current = null; };

  ns.StaticAuth = StaticAuth;
  ns.TokenAuth = TokenAuth;
})(typeof window !== "undefined" ? window : this);
