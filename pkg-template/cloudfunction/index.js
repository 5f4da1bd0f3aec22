// @ts-check
// The zhenzisms cloud function. appSecret stays here, in the function's environment
// variables, never in the mini-program. Routes follow the vendor's cloud function
// (event.$url): send, balance, findSmsByMessageId, sendCode, validateCode — so pages written
// for it keep working — and the code is generated, stored (as a keyed hash) and checked here.
//
// Environment variables:
//   ZHENZI_APP_ID, ZHENZI_APP_SECRET          required
//   ZHENZI_API_URL                            default https://sms_developer.zhenzikj.com
//   ZHENZI_TIMEOUT_MS (2500)                  time one Zhenzi call may take, retries included; keep it
//                                             under the function's timeout (CloudBase default 3 s)
//   ZHENZI_CODE_KEY                           key of the code hash (default: derived from the secret)
//   ZHENZI_CODE_LENGTH (6), ZHENZI_CODE_SECONDS (300), ZHENZI_COOLDOWN_SECONDS (60),
//   ZHENZI_DAILY_CAP (10), ZHENZI_MAX_ATTEMPTS (5)
//   ZHENZI_ALLOW_CREATE_CODE=true             re-enable the vendor v2 createCode route, which
//                                             hands the code to the phone (insecure; off by default)
'use strict';

const cloud = require('wx-server-sdk');
// The SDK's internals (_call, _core…) as well as its public API: typed loosely here.
const sdk = /** @type {any} */ (require('./zhenzisms.js'));
const codes = require('./zhenzisms_codes.js');
const { createStore } = require('./zhenzisms_store.js');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const MESSAGES = {
  success: '验证通过',
  empty: '未生成验证码!',
  number_error: '手机号码错误!',
  code_expired: '验证码已过期!',
  code_error: '验证码不一致!',
  code_used: '验证码已被使用!',
  too_many_attempts: '错误次数过多，请重新获取验证码!',
};

function env(name, fallback) {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
}

function settings() {
  const secret = env('ZHENZI_APP_SECRET', '');
  return {
    config: { route: 'direct', apiUrl: env('ZHENZI_API_URL', undefined), appId: env('ZHENZI_APP_ID', ''), appSecret: secret },
    key: env('ZHENZI_CODE_KEY', 'zhenzisms-code-key:' + secret),
    budgetMs: Number(env('ZHENZI_TIMEOUT_MS', 2500)) || 2500,
    policy: {
      length: Number(env('ZHENZI_CODE_LENGTH', 6)),
      seconds: Number(env('ZHENZI_CODE_SECONDS', 300)),
      cooldownMs: Number(env('ZHENZI_COOLDOWN_SECONDS', 60)) * 1000,
      dailyCap: Number(env('ZHENZI_DAILY_CAP', 10)),
      maxAttempts: Number(env('ZHENZI_MAX_ATTEMPTS', 5)),
    },
  };
}

// A Zhenzi call, answered as the vendor's cloud function did: {code, data}, plus `error`
// ({code, kind, reason, message, solution, retriable}) when it failed.
async function zhenzi(op, params, s) {
  // All attempts fit in s.budgetMs, under CloudBase's 3 s default function timeout, so a Zhenzi
  // that does not answer gives the page 9101 rather than a killed function (9105, outcome
  // unknown). A send gets the whole budget (it is never repeated); a read shares it with 2 retries.
  const read = op === 'balance' || op === 'findSmsByMessageId';
  const options = read
    ? { retries: 2, retryDelayMs: 50, timeoutMs: Math.max(1, Math.floor((s.budgetMs - 150) / 3)) }
    : { retries: 0, timeoutMs: s.budgetMs };
  const outcome = await sdk._call(s.config, op, params, options);
  return outcome.err ? Object.assign({}, outcome.vendor, { error: outcome.err }) : outcome.vendor;
}

function pick(event, keys) {
  const out = {};
  for (const k of keys) if (event[k] !== undefined) out[k] = event[k];
  return out;
}

// Claims the send slots of the number and the caller, or gives back those it got.
async function claimSlots(store, keys, seen, now) {
  const won = [];
  for (let i = 0; i < keys.length; i++) {
    if (await store.claim(keys[i], seen[i], now)) {
      won.push(i);
      continue;
    }
    await releaseSlots(store, keys, seen, now, won);
    return false;
  }
  return true;
}

function releaseSlots(store, keys, seen, now, which) {
  return Promise.all(which.map((i) => store.claim(keys[i], { exists: true, sentAt: now }, seen[i].sentAt)));
}

async function sendCode(event, caller, store, s) {
  const core = sdk._core();
  const number = String(event.number || '').trim();
  const slots = ['number:' + number, 'caller:' + caller];
  const [previous, seen] = await Promise.all([store.latestByNumber(number), Promise.all(slots.map((k) => store.slotTime(k)))]);
  const now = Date.now();
  // The latest send that limits this one: to this number, or by this caller to any number.
  const lastSent = Math.max(0, ...seen.map((slot) => slot.sentAt || 0));
  // The page may ask for a shorter life or another length, never a shorter cooldown.
  const policy = Object.assign({}, s.policy);
  if (event.length) policy.length = Number(event.length);
  if (event.seconds) policy.seconds = Math.min(Number(event.seconds), s.policy.seconds);
  const issued = codes.issue(core, {
    number,
    now,
    key: s.key,
    policy,
    previous: previous && previous.record,
    callerSentAt: lastSent || null,
  }, sdk._takeEntropy(codes.ENTROPY_BYTES));
  if (issued.err) {
    return { code: issued.err.kind === 'cooldown' ? 'intervalError' : 'smsError', msg: issued.err.reason, error: issued.err };
  }
  const call = codes.fill(pick(event, ['number', 'message', 'templateId', 'templateParams', 'messageId', 'clientIp']), issued.ok.code);
  if (!call) {
    const err = sdk._errorInfo(100, 'message must contain {code}, or use a templateId');
    return { code: 'smsError', msg: err.reason, error: err };
  }
  if (!(await claimSlots(store, slots, seen, now))) {
    const err = sdk._errorInfo(9201, 'another code is being sent to this number or by this user');
    return { code: 'intervalError', msg: err.reason, error: err };
  }
  const sent = await zhenzi(call[0], Object.assign({ clientIp: s.clientIp }, call[1]), s);
  if (sent.code !== 0) {
    await releaseSlots(store, slots, seen, now, [0, 1]); // nothing was sent: no cooldown
    return { code: 'smsError', msg: sent.error ? sent.error.reason : String(sent.data), error: sent.error };
  }
  await store.add(caller, issued.ok.record.number, issued.ok.record);
  return { code: 'success', msg: '发送成功' }; // never the code
}

async function validateCode(event, caller, store, s) {
  const core = sdk._core();
  // Checked against this caller's newest code: another user's code cannot be used.
  // A lost race means another check changed the record (an attempt spent, or the code used),
  // which can happen at most maxAttempts + 1 times: retry that often, so no check is dropped.
  const maxTries = Math.max(3, (Number(s.policy.maxAttempts) || 0) + 2);
  for (let tries = 0; tries < maxTries; tries++) {
    // This caller's code for this number; failing that, their newest (→ number_error).
    const doc = (await store.latestFor(caller, String(event.number || '').trim())) || (await store.latestByCaller(caller));
    const r = codes.verify(core, { number: String(event.number || ''), code: String(event.code || ''), now: Date.now(), key: s.key, record: doc && doc.record }).ok;
    const changed = doc && JSON.stringify(r.record) !== JSON.stringify(doc.record);
    // Lost a race with a concurrent check of the same code: read again and re-decide.
    if (changed && !(await store.replace(doc, r.record))) continue;
    const code = r.result === 'ok' ? 'success' : r.result;
    return { code, msg: MESSAGES[code] };
  }
  return { code: 'code_used', msg: MESSAGES.code_used };
}

async function createCode(event, caller, store, s) {
  if (env('ZHENZI_ALLOW_CREATE_CODE', '') !== 'true') {
    return { code: 'disabled', msg: 'createCode 已关闭：它把验证码交给客户端，任何人都能绕过验证。请改用 sendCode（验证码只在云函数内生成和校验）。' };
  }
  const issued = codes.issue(sdk._core(), { number: String(event.number || ''), now: Date.now(), key: s.key, policy: Object.assign({}, s.policy, { cooldownMs: 0 }) }, sdk._takeEntropy(codes.ENTROPY_BYTES));
  if (issued.err) return { code: 'smsError', msg: issued.err.reason, error: issued.err };
  await store.add(caller, issued.ok.record.number, issued.ok.record);
  return { code: 'success', msg: '', data: issued.ok.code };
}

exports.main = async (event) => {
  await sdk.ready();
  const s = settings();
  const context = cloud.getWXContext();
  s.clientIp = context.CLIENTIP || undefined; // lets Zhenzi apply its per-IP cap
  const caller = context.OPENID;
  const store = createStore(cloud.database());
  switch (event.$url) {
    case 'send':
      return event.templateId
        ? zhenzi('sendTemplate', Object.assign({ clientIp: s.clientIp }, pick(event, ['number', 'templateId', 'templateParams', 'messageId', 'clientIp'])), s)
        : zhenzi('send', Object.assign({ clientIp: s.clientIp }, pick(event, ['number', 'message', 'messageId', 'clientIp'])), s);
    case 'balance':
      return zhenzi('balance', {}, s);
    case 'findSmsByMessageId':
      return zhenzi('findSmsByMessageId', { messageId: event.messageId }, s);
    case 'sendCode':
      return sendCode(event, caller, store, s);
    case 'validateCode':
      return validateCode(event, caller, store, s);
    case 'createCode':
      return createCode(event, caller, store, s);
    default:
      return { code: 100, data: 'unknown $url: ' + event.$url };
  }
};
