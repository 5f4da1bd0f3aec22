// @ts-check
// zhenzisms_core_access.js — the cloud function's one way into the SDK beside it, through the
// SDK's public server API (`require('./zhenzisms.js').server`, docs/architecture.md), whose
// core answers objects:
//
//   await ready()
//   core.normalizeNumber(raw)        → {ok: '13800138000'} | {err}
//   core.codeIssue(input)            → {ok: {code, record, slots?, warn?, minutes}} | {err, limit?, retryAfter?}
//   core.codeVerify(input)           → {ok: {result, record, number}} | {err}
//   core.limitsTake(input)           → {ok: {slots, warn}} | {err, limit?, retryAfter?}
//   core.limitsGive(input)           → {ok: {slots}}   (a use given back: it sent nothing)
//   core.smsParts(text)              → {ok: 2}   (the parts an SMS of `text` is billed as)
//   core.checkConfig(config)         → {ok: {}} | {err: {…, field, problem}}
//   core.tencentCheckConfig(setup)   → {ok: {}} | {err, problems: [{field, problem, detail}]}
//   core.outcomeTexts()              → {success: '验证通过', code_error: …}
//   core.codeLength()                → {min: 4, max: 8}: the digits a code may have
//   call(config, op, params, options) → {ok, vendor} | {err, vendor}   (a Zhenzi request)
//   errorInfo(code, detail)          → the table's row, with `detail` (9104 before the core is in)
'use strict';

const sdk = require('./zhenzisms.js');

const server = sdk.server;

let texts = null;

const core = {
  normalizeNumber: (raw) => server.core().normalizeNumber(String(raw)),
  codeIssue: (input) => server.issueCode(input),
  codeVerify: (input) => server.verifyCode(input),
  limitsTake: (input) => server.core().limitsTake(input),
  limitsGive: (input) => server.core().limitsGive(input),
  smsParts: (text) => server.core().smsParts(String(text)),
  checkConfig: (config) => server.core().checkConfig(config),
  tencentCheckConfig: (setup) => server.core().tencentCheckConfig(setup),
  // What each verification outcome answers beside it (msg / data), as the vendor's function did.
  outcomeTexts: () => {
    if (!texts) {
      texts = {};
      for (const o of server.core().vocabulary().outcomes) texts[o.result === 'ok' ? 'success' : o.result] = o.text;
    }
    return texts;
  },
  codeLength: () => server.core().vocabulary().codeLength,
};

function errorInfo(code, detail) {
  try {
    return server.errorInfo(code, detail || '');
  } catch (notLoaded) {
    // Before the wasm is in, the shim's own copy of the load failure (generated from the table).
    return Object.assign(sdk.errorInfo(9104), { detail: String(detail || '') });
  }
}

module.exports = {
  ready: () => server.ready(),
  core: core,
  call: (config, op, params, options) => server.call(config, op, params, options),
  errorInfo: errorInfo,
  ZhenziError: sdk.ZhenziError,
  TencentSmsClient: sdk.TencentSmsClient,
};
