// @ts-check
// zhenzisms_core_access.js — the cloud function's one way into the SDK beside it: every use of
// the SDK's internals (the loaded core, the call loop, the CSPRNG pool) is here, so switching to
// a public API is a change to this file alone. Each core answer is parsed once, here.
//
//   await ready()
//   core.normalizeNumber(raw)        → {ok: '13800138000'} | {err}
//   core.codeIssue(input)            → {ok: {code, record, slots?}} | {err, limit?, retryAfter?}
//   core.codeVerify(input)           → {ok: {result, record, number}} | {err}
//   core.limitsTake(input)           → {ok: {slots, warn}} | {err, limit?, retryAfter?}
//   core.checkConfig(config)         → {ok: {}} | {err: {…, field, problem}}
//   core.outcomeTexts()              → {success: '验证通过', code_error: …}
//   call(config, op, params, options) → {ok, vendor} | {err, vendor}   (a Zhenzi request)
//   errorInfo(code, detail)          → the table's row, with `detail` (9104 before the core is in)
'use strict';

/** @type {any} the SDK with its internals */
const sdk = require('./zhenzisms.js');

const ENTROPY_BYTES = 48; // 16 of salt + enough for 8 digits after rejection sampling

const parsed = (text) => JSON.parse(text);

let texts = null;

const core = {
  normalizeNumber: (raw) => parsed(sdk._core().normalizeNumber(String(raw))),
  codeIssue: (input) => parsed(sdk._core().codeIssue(JSON.stringify(input), sdk._takeEntropy(ENTROPY_BYTES))),
  codeVerify: (input) => parsed(sdk._core().codeVerify(JSON.stringify(input))),
  limitsTake: (input) => parsed(sdk._core().limitsTake(JSON.stringify(input))),
  checkConfig: (config) => parsed(sdk._core().checkConfig(JSON.stringify(config))),
  // What each verification outcome answers beside it (msg / data), as the vendor's function did.
  outcomeTexts: () => {
    if (!texts) {
      texts = {};
      for (const o of parsed(sdk._core().vocabulary()).outcomes) texts[o.result === 'ok' ? 'success' : o.result] = o.text;
    }
    return texts;
  },
};

function errorInfo(code, detail) {
  try {
    return sdk._errorInfo(code, detail || '');
  } catch (notLoaded) {
    // Before the wasm is in, the shim's own copy of the load failure (generated from the table).
    return Object.assign(sdk.errorInfo(9104), { detail: String(detail || '') });
  }
}

module.exports = {
  ready: () => sdk.ready(),
  core: core,
  call: (config, op, params, options) => sdk._call(config, op, params, options),
  errorInfo: errorInfo,
  ZhenziError: sdk.ZhenziError,
  TencentSmsClient: sdk.TencentSmsClient,
};
