// @ts-check
// zhenzisms_settings.js — the cloud function's environment variables, read and checked once
// per call. A missing or malformed variable is named (never its value: it may be a secret),
// so the reply and 云函数日志 say exactly what to fix.
'use strict';

const crypto = require('crypto');
const { fromEnv } = require('./zhenzisms_provider.js');

// Numbers: [name, default, min, max]. Defaults informed by peers (docs/guide.md, security):
// Twilio Verify 5 checks and 5 sends per verification, 10-minute codes; Tencent 1 per 30 s
// per number; Alibaba 1/min, 5/hour, 10/day.
const NUMBERS = [
  ['ZHENZI_TIMEOUT_MS', 2500, 100, 60000], // one Zhenzi call, retries included (CloudBase: 3 s)
  ['ZHENZI_CODE_LENGTH', 6, 4, 8],
  ['ZHENZI_CODE_SECONDS', 300, 1, 86400],
  ['ZHENZI_MAX_ATTEMPTS', 5, 1, 20], // wrong guesses per code
  ['ZHENZI_COOLDOWN_SECONDS', 60, 0, 86400], // per number and per caller
  ['ZHENZI_DAILY_CAP', 10, 0, 1000], // codes per number per day (0 = none)
  ['ZHENZI_CALLER_DAILY_CAP', 10, 0, 1000], // codes per caller per day, across numbers
  ['ZHENZI_PAIR_DAILY_CAP', 5, 0, 1000], // codes per (caller, number) per day
  ['ZHENZI_VERIFY_SECONDS', 600, 1, 86400], // how long a verification counts for checkVerified
  ['ZHENZI_ROUTE_DAILY_CAP', 20, 0, 100000], // calls per caller per day of each opted-in route
];

// Routes a deployer may turn on; each hands callers something (an SMS cannon, the account's
// balance, SMS texts, or the code itself), so all are off unless listed.
const OPT_IN = ['send', 'balance', 'findSmsByMessageId', 'createCode'];

function raw(name) {
  const v = process.env[name];
  return v === undefined ? '' : String(v).trim();
}

/** @param {string} name @param {string} why */
function problem(name, why) {
  return { name: name, why: why };
}

// → {ok: settings} or {err: {name, why}} for the first bad variable.
function read() {
  // Which service sends the codes (SMS_PROVIDER): Zhenzi needs its app; Tencent its own variables.
  const provider = fromEnv(process.env);
  const tencent = provider.name === 'tencent';
  if (provider.problems.length) {
    // Each problem is a sentence that names the variable to fix first.
    const first = /[A-Z][A-Z0-9_]{3,}/.exec(provider.problems[0]);
    return { err: problem(first ? first[0] : 'SMS_PROVIDER', '(SMS_PROVIDER=' + provider.name + '): ' + provider.problems.join('; ')) };
  }
  const appId = raw('ZHENZI_APP_ID');
  const secret = raw('ZHENZI_APP_SECRET');
  if (!tencent && !appId) return { err: problem('ZHENZI_APP_ID', 'is not set') };
  if (!tencent && !secret) return { err: problem('ZHENZI_APP_SECRET', 'is not set') };
  // The code hash's key must be secret and stable: Zhenzi's appSecret, Tencent's own SecretKey,
  // or ZHENZI_CODE_KEY (needed with the runtime's temporary credentials, which rotate).
  const stable = tencent ? raw('TENCENT_SECRET_KEY') : secret;
  if (!raw('ZHENZI_CODE_KEY') && !stable) {
    return { err: problem('ZHENZI_CODE_KEY', 'is not set: with the runtime\'s temporary Tencent credentials the code hash needs a key of its own (a long random string)') };
  }
  /** @type {Record<string, number>} */
  const n = {};
  for (const [name, fallback, min, max] of NUMBERS) {
    const text = raw(/** @type {string} */ (name));
    const value = text === '' ? Number(fallback) : Number(text);
    if (!/^\d*$/.test(text) || !(value >= Number(min) && value <= Number(max))) {
      return { err: problem(/** @type {string} */ (name), 'must be a whole number from ' + min + ' to ' + max) };
    }
    n[/** @type {string} */ (name)] = value;
  }
  const routes = new Set();
  const compat = raw('ZHENZI_COMPAT');
  if (compat === 'vendor') OPT_IN.forEach((r) => routes.add(r));
  else if (compat) return { err: problem('ZHENZI_COMPAT', "must be 'vendor' or empty") };
  for (const r of raw('ZHENZI_ROUTES').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (OPT_IN.indexOf(r) < 0) return { err: problem('ZHENZI_ROUTES', 'lists ' + JSON.stringify(r.slice(0, 40)) + '; known: ' + OPT_IN.join(', ')) };
    routes.add(r);
  }
  if (raw('ZHENZI_ALLOW_CREATE_CODE') === 'true') routes.add('createCode'); // the older switch
  const codeKey = raw('ZHENZI_CODE_KEY') || 'zhenzisms-code-key:' + stable;
  const verifyKey = raw('ZHENZI_VERIFY_KEY') || crypto.createHmac('sha256', codeKey).update('zhenzisms verified-token key').digest('hex');
  return {
    ok: {
      provider: provider,
      config: { route: 'direct', apiUrl: raw('ZHENZI_API_URL') || undefined, appId: appId, appSecret: secret },
      key: codeKey,
      verifyKey: verifyKey,
      budgetMs: n.ZHENZI_TIMEOUT_MS,
      routes: routes,
      routeDailyCap: n.ZHENZI_ROUTE_DAILY_CAP,
      verifyMs: n.ZHENZI_VERIFY_SECONDS * 1000,
      policy: {
        length: n.ZHENZI_CODE_LENGTH,
        seconds: n.ZHENZI_CODE_SECONDS,
        cooldownMs: n.ZHENZI_COOLDOWN_SECONDS * 1000,
        dailyCap: n.ZHENZI_DAILY_CAP,
        maxAttempts: n.ZHENZI_MAX_ATTEMPTS,
      },
      // Per number, per caller, per (caller, number): [slot kind, cooldown ms, daily cap].
      limits: [
        ['number', n.ZHENZI_COOLDOWN_SECONDS * 1000, n.ZHENZI_DAILY_CAP],
        ['caller', n.ZHENZI_COOLDOWN_SECONDS * 1000, n.ZHENZI_CALLER_DAILY_CAP],
        ['pair', n.ZHENZI_COOLDOWN_SECONDS * 1000, n.ZHENZI_PAIR_DAILY_CAP],
      ],
    },
  };
}

// The defaults, for the docs' odds and their test.
function defaults() {
  /** @type {Record<string, number>} */
  const d = {};
  for (const [name, fallback] of NUMBERS) d[/** @type {string} */ (name)] = Number(fallback);
  return d;
}

module.exports = { read: read, defaults: defaults, OPT_IN: OPT_IN };
