// @ts-check
// zhenzisms_server.js — the SDK's public API for servers: what the cloud function (and any
// other Node service) builds on instead of the SDK's internals.
//   const { server } = require('zhenzisms-wasm');        // or require('./zhenzisms.js').server
//   await server.ready();
//   const outcome = await server.call(config, 'send', { number, message }, { budgetMs: 2500 });
//   const issued = server.issueCode({ number, now: Date.now(), key, limits });
// Every answer of the core is an object: {ok} or {err, vendor?} (docs/architecture.md).
'use strict';

var codes = require('./zhenzisms_codes.js');

// `kit`: what the SDK hands its parts (zhenzisms_client.js).
/** @param {any} kit */
function createServer(kit) {
  return {
    // Resolves true once the core is loaded (in Node at require already); rejects 9104.
    ready: kit.ready,
    // The typed core (zhenzisms_core.d.ts): every function answers an object. Throws
    // ZhenziError 9104 before the core is loaded.
    core: kit.core,
    // One Zhenzi call, built, sent and parsed by the core, retried as its plan says (`options`
    // {timeoutMs, retries, retryDelayMs, budgetMs} over the server defaults: reads twice more).
    // → Promise of {ok | err, vendor, status?, header?}; never rejects.
    call: function (config, op, params, options) {
      return kit.call(config, op, params, options, 'server');
    },
    // The table's entry for `code` ({code, kind, reason, message, solution, retriable,
    // detail?}), with `detail` (after ready).
    errorInfo: function (code, detail) {
      return kit.errorInfo(code, detail);
    },
    // A verification code for `input` {number, now, key, policy?, asked?, previous?, limits?},
    // with the CSPRNG bytes it needs: → {ok: {code, record, minutes, slots?, warn?}} or {err, vendor}.
    issueCode: function (input) {
      return kit.core().codeIssue(input, kit.entropy(codes.ENTROPY_BYTES));
    },
    // A check of `input` {number, code, now, key, record?}: → {ok: {result, record, number}} or {err}.
    verifyCode: function (input) {
      return kit.core().codeVerify(input);
    }
  };
}

module.exports = { createServer: createServer };
