'use strict';
// Loaded with `node -r` before a `node` block of the docs (tests/docs/runners.js runs each block as a
// file of its own, in a child process). It does three things, so the block can be run as written:
//   1. a hosts file: requests to the vendors' hosts (Zhenzi's, its relay, Tencent's) and to the
//      demo's sandbox address http://127.0.0.1:8787 go to the test's sandbox instead, with the
//      original Host header (the sandbox verifies Tencent's signatures over it);
//   2. a fence: any other connection that is not to loopback throws, so a block can never reach the
//      internet;
//   3. a witness: every call of the SDK's Promise API is recorded with how it settled ('ok' or the
//      ZhenziError's code), written to $DOCS_OUTCOMES when the process exits.
// It also defines the fixture's names (tests/docs/runners.js FIXTURE) as globals.
const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');
const path = require('path');

const SANDBOX = new URL(process.env.DOCS_SANDBOX_URL);
const ROOT = process.env.DOCS_ROOT;
const OUT = process.env.DOCS_OUTCOMES;
const MAPPED = new Set(['sms_developer.zhenzikj.com', 'sms.zhenzikj.com', 'smsdeveloper.zhenzikj.com', 'sms.tencentcloudapi.com']);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

Object.assign(globalThis, JSON.parse(process.env.DOCS_FIXTURE));

/** A URL the block asked for → the one to use: vendor hosts and the demo port → the sandbox. */
function mapped(url) {
  const u = new URL(String(url));
  if (MAPPED.has(u.hostname) || (u.hostname === '127.0.0.1' && u.port === '8787')) {
    const host = u.host;
    u.protocol = 'http:';
    u.hostname = SANDBOX.hostname;
    u.port = SANDBOX.port;
    return { url: u, host };
  }
  return { url: u, host: null };
}

// (url, options?, cb?) as http.request takes them; only the URL-first form is mapped (the SDK's).
function redirect(original, fallbackModule) {
  return function request(url, options, cb) {
    if (typeof url === 'string' || url instanceof URL) {
      const m = mapped(url);
      if (m.host) {
        const opts = Object.assign({}, typeof options === 'object' && options ? options : {});
        delete opts.agent; // an https Agent cannot carry http
        opts.headers = Object.assign({}, opts.headers);
        if (!Object.keys(opts.headers).some((k) => k.toLowerCase() === 'host')) opts.headers.Host = m.host;
        return httpRequest.call(http, m.url, opts, typeof options === 'function' ? options : cb);
      }
    }
    return original.apply(fallbackModule, arguments);
  };
}
const httpRequest = http.request;
const httpsRequest = https.request;
http.request = redirect(httpRequest, http);
https.request = redirect(httpsRequest, https);
https.get = function get() {
  const r = https.request.apply(https, arguments);
  r.end();
  return r;
};
http.get = function get() {
  const r = http.request.apply(http, arguments);
  r.end();
  return r;
};
// fetch (the inbox of the sandbox, in a try-it block) is mapped the same way.
const realFetch = globalThis.fetch;
if (realFetch) globalThis.fetch = (input, init) => realFetch(typeof input === 'string' || input instanceof URL ? mapped(input).url : input, init);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  const o = args[0] && typeof args[0] === 'object' ? args[0] : { port: args[0], host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  const host = o.path ? 'localhost' : String(o.host || 'localhost');
  if (!LOOPBACK.has(host)) throw new Error(`docs: a block tried to connect to ${host}: only loopback is allowed`);
  return connect.apply(this, args);
};

// The witness. The SDK files are loaded through the block's own require (node_modules/zhenzisms-wasm
// is a link to dist/npm), so the same module instance is patched here first.
const outcomes = [];
function outcomeOfError(e) {
  return e && e.code !== undefined ? e.code : String(e && e.message || e);
}
function witness(owner, name, what) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function witnessed() {
    const call = { call: what, outcome: null };
    outcomes.push(call);
    const ret = original.apply(this, arguments);
    if (ret && typeof ret.then === 'function') {
      ret.then((v) => {
        const refused = v && Array.isArray(v.statuses) ? v.statuses.find((s) => !s.ok) : null;
        call.outcome = refused ? outcomeOfError(refused.error) : 'ok';
      }, (e) => {
        call.outcome = outcomeOfError(e);
      });
    }
    return ret;
  };
}
// The clients keep their methods on each instance (the configuration lives in a closure), so the
// constructor is wrapped: same prototype, so `instanceof` and the typings still hold.
function witnessClass(exportsObject, className, methods) {
  const Original = exportsObject[className];
  if (typeof Original !== 'function') return;
  function Witnessed(options) {
    const instance = new Original(options);
    for (const m of methods) witness(instance, m, `${className}.${m}`);
    return instance;
  }
  Witnessed.prototype = Original.prototype;
  exportsObject[className] = Witnessed;
}
const sdk = require(path.join(ROOT, 'dist/npm/zhenzisms.js'));
witnessClass(sdk, 'ZhenziClient', ['send', 'balance', 'findSmsByMessageId']);
witnessClass(sdk, 'TencentSmsClient', ['send']);
for (const m of ['send', 'sendCode', 'balance', 'findSmsByMessageId']) witness(sdk.client, m, `client.${m}`);

process.on('exit', () => fs.writeFileSync(OUT, JSON.stringify(outcomes)));
