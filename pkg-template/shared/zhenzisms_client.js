// @ts-check
// zhenzisms_client.js — the SDK's API over a platform (wx, Node or web). Shipped as is.
//
// The Rust core (zhenzisms_core.js + .wasm) builds requests, validates input, parses replies
// and runs the verification-code rules; this file turns that into the vendor's callback API
// (`client.send(cb, …)`, res.data = {code, data}) and a Promise API (`ZhenziClient`).
// A platform object supplies the IO (zhenzisms_wx.js, zhenzisms_node.js, zhenzisms_web.js):
/**
 * @typedef {typeof import('./zhenzisms_core.js')} Core   the typed core: objects in and out
 * @typedef {{url: string, method: string, header: Object<string, string>, body: string, timeoutMs: number}} Request
 * @typedef {{status: number, header: Object<string, any>, body: string}} Reply
 * @typedef {{code: number, detail: string, sent: boolean}} TransportFailure
 *   code 9100 network, 9101 timeout, 9103 unreadable; `sent`: whether the request may have left
 * @typedef {Object} Platform
 * @property {string} name                           'wx' | 'node' | 'web'
 * @property {'relay' | 'direct'} route              relay in a mini-program, direct on servers
 * @property {string} [defaultWasmPath]
 * @property {(wasmPath?: string) => Promise<Core>} [loadCore]
 * @property {(wasmPath?: string) => Core} [loadCoreSync]   where the host can load synchronously
 * @property {(req: Request) => Promise<Reply>} request      rejects with a TransportFailure
 * @property {(n: number) => Promise<Uint8Array>} randomBytes   the host CSPRNG
 * @property {(n: number) => Uint8Array} [randomBytesSync]
 * @property {{get: (key: string) => any, set: (key: string, value: any) => void}} storage
 * @property {(name: string, data: Object, env?: string) => Promise<any>} [cloudCall]   mini-program only
 * @property {() => boolean} [isDevelopment]         whether to print one-time development warnings
 * @property {() => number} [now]                    the clock, ms (default Date.now)
 * @property {(fn: () => void, ms: number) => any} [setTimeout]   timers (default the global one)
 *   A test hands the SDK a platform on a clock it moves (zhenzisms_node.js `withClock`).
 */
'use strict';

var codes = require('./zhenzisms_codes.js');

// The 9104 row of the core's table, for the one error that must be described before the core is in.
var LOAD_FAILED = /* generated: error 9104 */ {
  "code": 9104,
  "kind": "load",
  "reason": "SDK 未就绪（WebAssembly 未加载或加载失败）",
  "message": "the WebAssembly module is not loaded, or failed to load",
  "solution": "基础库须 ≥ 2.14.0；把 zhenzisms_bg.wasm.br 放在 zhenzisms.js 旁（uni-app 放 static/），或 client.configure({wasmPath})",
  "retriable": false
} /* end */;
var MAX_PARAMS = 1 << 20; // characters of params handed to the wasm (replies: the transports cap them)
// Retry defaults, set here only (the core's src/policy.rs plans every try from them): the
// drop-in tries once, as the vendor SDKs did; the Promise client and servers (the cloud
// function, inside its budget) try reads twice more. A send is never repeated once it may
// have reached the server, whatever these say.
var RETRIES = { vendor: { retries: 0 }, client: { retries: 2 }, server: { retries: 2, retryDelayMs: 50 } };
var POOL_BYTES = 1024; // CSPRNG bytes kept ahead of need: a code takes 48
// The release, written in by tools/assemble.js from Cargo.toml (the one place it is set).
var VERSION = '0.0.0-dev';

// An error with the fields of the core's table: code, kind, reason (zh), solution, retriable,
// detail; its message reads "原因 / reason in English: detail", Chinese first. Never carries a
// secret: the core never puts one in. Called with or without `new`: it returns the Error it
// made, so the stack is a real one.
/** @constructor @param {any} info */
function ZhenziError(info) {
  var text = info.reason && info.reason !== info.message ? info.reason + ' / ' + info.message : info.message || info.reason;
  /** @type {any} */
  var e = new Error(text + (info.detail ? ': ' + info.detail : ''));
  Object.setPrototypeOf(e, ZhenziError.prototype);
  e.name = 'ZhenziError';
  e.code = info.code;
  e.kind = info.kind;
  e.reason = info.reason;
  e.solution = info.solution;
  e.retriable = info.retriable;
  if (info.detail) e.detail = info.detail;
  return e;
}
ZhenziError.prototype = Object.create(Error.prototype, {
  constructor: { value: ZhenziError, writable: true, configurable: true }
});

// 9104 with what went wrong: the one error that must be described without the core.
function notReady(detail) {
  return Object.assign({}, LOAD_FAILED, { detail: detail });
}

function loadFailed(detail) {
  var info = notReady(detail);
  return { err: info, vendor: { code: info.code, data: info.reason } };
}

// Calls `cb` once, outside the promise chain: an exception in page code is thrown on its own
// (as wx.request's callbacks do) instead of being swallowed or calling back twice.
function callOnce(cb, a, b) {
  if (typeof cb !== 'function') return;
  try {
    cb(a, b);
  } catch (e) {
    setTimeout(function () {
      throw e;
    }, 0);
  }
}

// JSON text of a caller's value, or null when it cannot be read (a cycle, a throwing getter):
// bad input gets a typed error, never a TypeError. A BigInt is written as its digits.
function safeJson(value) {
  try {
    return JSON.stringify(value, function (k, v) {
      return typeof v === 'bigint' ? String(v) : v;
    });
  } catch (e) {
    return null;
  }
}

// The SDK over one platform: → {sdk, kit}. `sdk` is the public object; `kit` holds what the
// other shim parts are handed (the vendor client, and in Node the server API and Tencent's
// client): each part receives what it uses, and nothing internal hangs off `sdk`.
function createSdk(platform) {
  var core = null;
  var loading = null;
  var wasmPath;
  var pool = new Uint8Array(0);
  var refilling = null;
  var entropyError = ''; // why the host CSPRNG failed (base library < 2.15.0 has none)
  var warned = {};

  function fill(bytes) {
    var next = new Uint8Array(pool.length + bytes.length);
    next.set(pool);
    next.set(bytes, pool.length);
    pool = next;
  }

  function refill() {
    if (pool.length >= POOL_BYTES / 2 || refilling) return refilling;
    refilling = platform.randomBytes(POOL_BYTES).then(function (bytes) {
      fill(bytes);
      refilling = null;
    }, function (e) {
      refilling = null;
      entropyError = String(e && e.message || e);
    });
    return refilling;
  }

  // Random bytes now, from the pool; the pool refills itself in the background.
  function takeEntropy(n) {
    if (pool.length < n && platform.randomBytesSync) fill(platform.randomBytesSync(POOL_BYTES));
    if (pool.length < n) throw new ZhenziError(notReady(entropyError || 'random bytes are not ready yet: await client.ready()'));
    var out = pool.slice(0, n);
    pool = pool.slice(n);
    refill();
    return out;
  }

  // Starts loading on first use, so configure({wasmPath}) can come first. Resolves to the core.
  function load() {
    if (loading) return loading;
    if (platform.loadCoreSync) {
      try {
        core = platform.loadCoreSync(wasmPath);
        loading = Promise.resolve(core);
      } catch (e) {
        loading = Promise.reject(e);
      }
    } else {
      loading = platform.loadCore(wasmPath).then(function (c) {
        core = c;
        return c;
      });
    }
    // A failed load may be retried (e.g. after configure({wasmPath}) is corrected).
    var mine = loading;
    mine.catch(function () {
      if (loading === mine) loading = null;
    });
    return mine;
  }

  // Resolves once the core is loaded and the CSPRNG pool has been asked for; rejects (9104)
  // only when the core cannot load: without a CSPRNG (base library < 2.15.0) sends, lookups and
  // cloud mode still work, and only making a code on the phone fails, saying why.
  function ready() {
    return Promise.all([load(), refill()]).then(function () {
      return true;
    }, function (e) {
      throw e instanceof ZhenziError ? e : new ZhenziError(notReady(String(e && e.message || e)));
    });
  }

  // Prints `text` once per text, in development builds only (as an error when `error`).
  function warn(text, error) {
    if (warned[text] || !platform.isDevelopment || !platform.isDevelopment()) return;
    warned[text] = true;
    console[error ? 'error' : 'warn']('[zhenzisms] ' + text);
  }

  function coreNow() {
    if (!core) throw new ZhenziError(notReady('call client.ready() and wait for it first'));
    return core;
  }

  function delay(ms) {
    return new Promise(function (resolve) {
      (platform.setTimeout || setTimeout)(resolve, ms);
    });
  }

  // Runs one Zhenzi call: build (refusing bad input before anything is sent), send, parse.
  // `options` {retries, retryDelayMs, timeoutMs, budgetMs} over the defaults of `who` (RETRIES)
  // go to the core, which answers with the plan (`retry`) this follows.
  // Resolves to {ok | err, vendor, status, header}; never rejects.
  function call(config, op, params, options, who) {
    return load().then(function (c) {
      var retry = Object.assign({}, RETRIES[who || 'client']);
      for (var k in options) if (options[k] !== undefined) retry[k] = options[k];
      var text = params === null ? null : safeJson(params || {}); // null: unreadable
      var conf = safeJson(Object.assign({ retry: retry }, config));
      if (text === null || conf === null) return c.errorInfo(100, 'the arguments cannot be read as JSON');
      if (text.length > MAX_PARAMS) return c.errorInfo(100, 'params over 1 MB');
      var built = c.buildRequest(op, conf, text);
      if (built.err) return built;
      (built.ok.warn || []).forEach(warn);
      return attempt(c, op, built.ok, 0);
    }, function (e) {
      return loadFailed(String(e && e.message || e));
    });
  }

  // One try, then the next as the core's plan says: `on` 'unsent' (a send: only when no byte
  // reached the server) or 'retriable', after delaysMs[tries].
  function attempt(c, op, req, tries) {
    var plan = req.retry;
    return platform.request({ url: req.url, method: req.method, header: req.header, body: req.body, timeoutMs: plan.timeoutMs }).then(function (res) {
      var outcome = c.parseReply(op, res.status, res.body);
      outcome.status = res.status;
      outcome.header = res.header;
      return outcome;
    }, function (failure) {
      // A transport rejects with {code: 9100 | 9101 | 9103, detail, sent}; anything else it threw
      // (an Error with a string code such as ERR_INVALID_CHAR) is a network failure, never code 0.
      var outcome = c.errorInfo(failure && typeof failure.code == 'number' ? failure.code : 9100, failure && (failure.detail || failure.message) || String(failure));
      outcome.unsent = failure && failure.sent === false;
      return outcome;
    }).then(function (outcome) {
      if (outcome.err && tries < plan.delaysMs.length && (plan.on === 'unsent' ? outcome.unsent : outcome.err.retriable)) {
        return delay(plan.delaysMs[tries]).then(function () {
          return attempt(c, op, req, tries + 1);
        });
      }
      return outcome;
    });
  }

  // wx.request's own errMsg ('request:fail timeout') already has the prefix: keep it as is.
  function failMessage(err) {
    var why = String(err && (err.detail || err.message) || '');
    return /^request:fail/.test(why) ? why : 'request:fail ' + why;
  }

  // The vendor SDKs hand callbacks wx.request's complete result: res.data = {code, data}.
  function vendorResult(outcome) {
    var res = {
      data: outcome.vendor,
      statusCode: outcome.status || 0,
      header: outcome.header || {},
      errMsg: outcome.status ? 'request:ok' : failMessage(outcome.err)
    };
    if (outcome.err) res.error = outcome.err instanceof ZhenziError ? outcome.err : new ZhenziError(outcome.err);
    return res;
  }

  // Any thrown thing as a vendor result: a ZhenziError as it is, anything else as 9999.
  function failure(e) {
    /** @type {any} */
    var err = e instanceof ZhenziError ? e : null;
    if (!err) {
      try {
        err = new ZhenziError(errorInfo(9999, String(e && e.message || e)));
      } catch (x) {
        err = new ZhenziError(notReady(String(e && e.message || e)));
      }
    }
    return vendorResult({ err: err, vendor: { code: err.code, data: err.reason } });
  }

  // The table's entry for `code` with `detail`, from the core (after ready).
  function errorInfo(code, detail) {
    return coreNow().errorInfo(code, detail || '').err;
  }

  // Starts loading the wasm and filling the CSPRNG pool now (the mini-program entry calls it
  // at require), so a tap handler a moment later finds both ready.
  function prefetch() {
    ready().catch(function () {});
  }

  var kit = {
    platform: platform,
    ZhenziError: ZhenziError,
    // The platform's clock when it has one; else Date.now, looked up at each call.
    now: function () {
      return platform.now ? platform.now() : Date.now();
    },
    load: load,
    ready: ready,
    core: coreNow,
    call: call,
    entropy: takeEntropy,
    errorInfo: errorInfo,
    vendorResult: vendorResult,
    failure: failure,
    warn: warn,
    safeJson: safeJson,
    callOnce: callOnce,
    prefetch: prefetch,
    setWasmPath: function (path) {
      if (path && !core) {
        wasmPath = path;
        loading = null;
      }
    }
  };
  var sdk = {
    version: VERSION,
    ZhenziError: ZhenziError,
    ready: ready,
    // {code, kind, reason, message, solution, retriable} for any code (sync, after ready).
    errorInfo: function (code) {
      if (!core && Number(code) === LOAD_FAILED.code) return Object.assign({}, LOAD_FAILED);
      return errorInfo(Number(code) || 0, '');
    },
    errorTable: function () {
      return coreNow().errorTable();
    },
    configure: function (options) {
      kit.setWasmPath(options.wasmPath);
    }
  };
  sdk.ZhenziClient = createPromiseClient(kit);
  sdk.client = require('./zhenzisms_vendor.js').createVendorClient(kit, codes);
  return { sdk: sdk, kit: kit };
}

// new ZhenziClient({apiUrl, appId, appSecret, timeoutMs, retries, route, relayUrl}):
// send / balance / findSmsByMessageId return Promises and reject with ZhenziError.
// The configuration lives in a closure: String(), JSON.stringify() and util.inspect() of a
// client show the appId, never the secret.
function createPromiseClient(kit) {
  function ZhenziClient(options) {
    options = options || {};
    var config = {
      route: options.route || kit.platform.route,
      apiUrl: options.apiUrl,
      relayUrl: options.relayUrl,
      appId: options.appId,
      appSecret: options.appSecret
    };
    var callOptions = { timeoutMs: options.timeoutMs, retries: options.retries, retryDelayMs: options.retryDelayMs };
    var self = this;
    // `params` may be [message, extra]: merged here after a safe read, so a throwing getter or
    // a cycle is a rejected ZhenziError (100) like any other bad input.
    function run(op, params) {
      if (Array.isArray(params)) {
        var text = kit.safeJson(params);
        params = text === null ? null : Object.assign.apply(null, [{}].concat(JSON.parse(text)));
      }
      return kit.call(config, op, params, callOptions, 'client').then(function (outcome) {
        if (outcome.err) throw new ZhenziError(outcome.err);
        return outcome.ok;
      });
    }
    Object.defineProperty(self, 'appId', { value: options.appId, enumerable: true });
    // send({number, message} | {number, templateId, templateParams}, {messageId, clientIp}):
    // the core decides text or template send (a non-blank templateId), as for client.send.
    self.send = function (message, extra) {
      return run('send', [message, extra]);
    };
    self.balance = function () {
      return run('balance', {}).then(Number);
    };
    self.findSmsByMessageId = function (messageId) {
      return run('findSmsByMessageId', { messageId: messageId });
    };
    self.ready = kit.ready;
  }
  /** @type {any} */
  var proto = ZhenziClient.prototype;
  proto.toString = function () {
    return '[ZhenziClient appId=' + this.appId + ']';
  };
  proto.toJSON = function () {
    return { appId: this.appId };
  };
  if (typeof Symbol === 'function' && Symbol.for) {
    proto[Symbol.for('nodejs.util.inspect.custom')] = function () {
      return this.toString();
    };
  }
  return ZhenziClient;
}

module.exports = { createSdk: createSdk, ZhenziError: ZhenziError };
