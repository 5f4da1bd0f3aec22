// @ts-check
// zhenzisms_settings.js — the cloud function's environment variables, read and checked once
// per call. A missing or malformed variable is named (never its value: it may be a secret),
// so the reply and 云函数日志 say exactly what to fix. The guide (§4) lists every one.
'use strict';

const access = require('./zhenzisms_core_access.js');
const { fromEnv, said } = require('./zhenzisms_provider.js');

// Numbers: [name, default, min, max]. Defaults and their reasons: docs/guide.md §4 and §8.
// The bounds are the function's own choices, but for the code's length: the core's (null here).
const NUMBERS = [
  ['ZHENZI_TIMEOUT_MS', 2500, 100, 60000], // one Zhenzi call, retries included (CloudBase: 3 s)
  ['ZHENZI_CODE_LENGTH', 6, null, null], // digits: the core's range (vocabulary().codeLength)
  ['ZHENZI_CODE_SECONDS', 300, 1, 86400],
  ['ZHENZI_MAX_ATTEMPTS', 5, 1, 20], // wrong guesses per code
  ['ZHENZI_COOLDOWN_SECONDS', 60, 0, 86400], // per number and per caller
  ['ZHENZI_DAILY_CAP', 10, 0, 1000], // codes per number per day (0 = none)
  ['ZHENZI_CALLER_DAILY_CAP', 10, 0, 1000], // codes per caller per day, across numbers
  ['ZHENZI_PAIR_DAILY_CAP', 5, 0, 1000], // codes per (caller, number) per day
  ['ZHENZI_IP_HOURLY_CAP', 20, 0, 100000], // SMS per platform address (CLIENTIP) per hour
  ['ZHENZI_IP_DAILY_CAP', 100, 0, 1000000], // SMS per platform address per day
  ['ZHENZI_DAILY_BUDGET', 1000, 0, 10000000], // SMS per day for the whole function
  ['ZHENZI_CHECK_HOURLY_CAP', 60, 0, 100000], // validateCode + checkVerified per caller per hour
  ['ZHENZI_VERIFY_SECONDS', 600, 1, 86400], // how long a verification counts for checkVerified
  ['ZHENZI_ROUTE_DAILY_CAP', 20, 0, 100000], // calls per caller per day of each opted-in route
  ['ZHENZI_PHONE_HOURLY_CAP', 10, 0, 1000], // one-tap verifications (phoneNumber) per caller per hour
];

// Routes a deployer may turn on; each hands callers something (an SMS cannon, the account's
// balance, SMS texts, or the code itself), so all are off unless listed.
const OPT_IN = ['send', 'balance', 'findSmsByMessageId', 'createCode'];

// The code SMS when the deployment sets none: {code} and {minutes} are filled in.
const DEFAULT_CODE_MESSAGE = '您的验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。';

const HOUR_MS = 3600000;

function raw(name) {
  const v = process.env[name];
  return v === undefined ? '' : String(v).trim();
}

/** @param {string} name @param {string} why */
function problem(name, why) {
  return { name: name, why: why };
}

// ZHENZI_CODE_MESSAGES: a JSON array of texts with {code}; ZHENZI_CODE_TEMPLATES: template ids.
function choices() {
  const text = raw('ZHENZI_CODE_MESSAGES');
  let messages = [];
  if (text) {
    try {
      messages = JSON.parse(text);
    } catch (e) {
      messages = null;
    }
    if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string' && m.indexOf('{code}') >= 0)) {
      return { err: problem('ZHENZI_CODE_MESSAGES', 'must be a JSON array of texts, each with {code}, e.g. ["您的验证码为{code}"]') };
    }
  }
  const templates = raw('ZHENZI_CODE_TEMPLATES').split(',').map((t) => t.trim()).filter(Boolean);
  return { ok: { messages: messages, templates: templates } };
}

// The token key signs "this user owns this number" for every backend that trusts it: a word
// someone could guess, or a key that also lives elsewhere (the Zhenzi appSecret is in every
// direct-mode package and the vendor's console), would let its holder sign for anyone.
const MIN_VERIFY_KEY = 32;
function weakVerifyKey(key, others) {
  if (!key) return ''; // tokens are off
  if (key.length < MIN_VERIFY_KEY || new Set(key).size < 8) {
    return 'must be a long random string (' + MIN_VERIFY_KEY + ' characters or more, e.g. 32 random bytes in hex): a short or repetitive key can be guessed';
  }
  if (others.some((o) => o && o === key)) return 'must be a key of its own, not ZHENZI_APP_SECRET, TENCENT_SECRET_KEY or ZHENZI_CODE_KEY';
  return '';
}

// → {ok: settings} or {err: {name, why}} for the first bad variable.
function read() {
  // Which service sends the codes (SMS_PROVIDER): Zhenzi needs its app; Tencent its own variables.
  const provider = fromEnv(process.env);
  const tencent = provider.name === 'tencent';
  if (provider.problems.length) {
    // Named by the first variable to fix; the detail lists every problem.
    return { err: problem(provider.problems[0].name, '(SMS_PROVIDER=' + provider.name + '): ' + provider.problems.map(said).join('; ')) };
  }
  const appId = raw('ZHENZI_APP_ID');
  const secret = raw('ZHENZI_APP_SECRET');
  // The code hash's and the documents' key must be secret and stable: Zhenzi's appSecret,
  // Tencent's own SecretKey, or ZHENZI_CODE_KEY (needed with the runtime's temporary
  // credentials, which rotate). Tokens never use it: they need ZHENZI_VERIFY_KEY.
  const stable = tencent ? raw('TENCENT_SECRET_KEY') : secret;
  if (!raw('ZHENZI_CODE_KEY') && !stable) {
    if (!tencent) return { err: problem('ZHENZI_APP_SECRET', 'is not set') };
    return { err: problem('ZHENZI_CODE_KEY', 'is not set: with the runtime\'s temporary Tencent credentials the code hash needs a key of its own (a long random string)') };
  }
  /** @type {Record<string, number>} */
  const n = {};
  const digits = access.core.codeLength();
  for (const row of NUMBERS) {
    const [name, fallback] = row;
    const [min, max] = row[2] === null ? [digits.min, digits.max] : [row[2], row[3]];
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
  const message = raw('ZHENZI_CODE_MESSAGE') || DEFAULT_CODE_MESSAGE;
  if (message.indexOf('{code}') < 0) return { err: problem('ZHENZI_CODE_MESSAGE', 'must contain {code}') };
  const listed = choices();
  if (listed.err) return { err: listed.err };
  const verifyKey = raw('ZHENZI_VERIFY_KEY');
  const weak = weakVerifyKey(verifyKey, [secret, raw('TENCENT_SECRET_KEY'), raw('ZHENZI_CODE_KEY')]);
  if (weak) return { err: problem('ZHENZI_VERIFY_KEY', weak) };
  const cooldownMs = n.ZHENZI_COOLDOWN_SECONDS * 1000;
  return {
    ok: {
      provider: provider,
      config: { route: 'direct', apiUrl: raw('ZHENZI_API_URL') || undefined, appId: appId, appSecret: secret },
      // ZHENZI_CODE_KEY, else derived from the provider's secret and, when set, the token key:
      // an appSecret that ever shipped in a direct-mode package is known to anyone who unpacked
      // it, so a deployment with a token key keys its codes and documents by a secret of its own.
      key: raw('ZHENZI_CODE_KEY') || 'zhenzisms-code-key:' + stable + (verifyKey ? '|' + verifyKey : ''),
      verifyKey: verifyKey, // '' = tokens are off
      audience: raw('ZHENZI_TOKEN_AUDIENCE'), // '' = the environment's id (getWXContext().ENV)
      budgetMs: n.ZHENZI_TIMEOUT_MS,
      routes: routes,
      verifyMs: n.ZHENZI_VERIFY_SECONDS * 1000,
      // The operator's code SMS: a text, or a template (code, then minutes); what pages may pick.
      sms: { message: message, templateId: raw('ZHENZI_CODE_TEMPLATE_ID'), messages: listed.ok.messages, templates: listed.ok.templates },
      policy: {
        length: n.ZHENZI_CODE_LENGTH,
        seconds: n.ZHENZI_CODE_SECONDS,
        cooldownMs: cooldownMs,
        dailyCap: n.ZHENZI_DAILY_CAP,
        maxAttempts: n.ZHENZI_MAX_ATTEMPTS,
      },
      // Every limit the function keeps, as the core's rule [cooldownMs, cap, windowMs] (window
      // 0 = the Beijing day), with the variable that sets it (named in a refusal).
      rules: {
        number: { rule: [cooldownMs, n.ZHENZI_DAILY_CAP, 0], name: 'ZHENZI_DAILY_CAP' },
        caller: { rule: [cooldownMs, n.ZHENZI_CALLER_DAILY_CAP, 0], name: 'ZHENZI_CALLER_DAILY_CAP' },
        pair: { rule: [cooldownMs, n.ZHENZI_PAIR_DAILY_CAP, 0], name: 'ZHENZI_PAIR_DAILY_CAP' },
        ipHour: { rule: [0, n.ZHENZI_IP_HOURLY_CAP, HOUR_MS], name: 'ZHENZI_IP_HOURLY_CAP' },
        ipDay: { rule: [0, n.ZHENZI_IP_DAILY_CAP, 0], name: 'ZHENZI_IP_DAILY_CAP' },
        budget: { rule: [0, n.ZHENZI_DAILY_BUDGET, 0], name: 'ZHENZI_DAILY_BUDGET' },
        checks: { rule: [0, n.ZHENZI_CHECK_HOURLY_CAP, HOUR_MS], name: 'ZHENZI_CHECK_HOURLY_CAP' },
        route: { rule: [0, n.ZHENZI_ROUTE_DAILY_CAP, 0], name: 'ZHENZI_ROUTE_DAILY_CAP' },
        phone: { rule: [0, n.ZHENZI_PHONE_HOURLY_CAP, HOUR_MS], name: 'ZHENZI_PHONE_HOURLY_CAP' },
      },
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

module.exports = { read: read, defaults: defaults, OPT_IN: OPT_IN, DEFAULT_CODE_MESSAGE: DEFAULT_CODE_MESSAGE };
