// @ts-check
// The zhenzisms cloud function. appSecret stays here, in the function's environment
// variables, never in the mini-program. Routes (event.$url) follow the vendor's cloud
// functions, secure by default:
//   sendCode, validateCode     always on: the code is made, stored (as a keyed hash), sent
//                              and checked here, and never returned
//   checkVerified              for the developer's other cloud functions: did this user
//                              (OPENID) verify this number recently?
//   send, balance, findSmsByMessageId, createCode
//                              off unless the deployer opts in (ZHENZI_COMPAT=vendor or
//                              ZHENZI_ROUTES=…), each with a per-caller daily cap
// The caller is who WeChat says (OPENID, CLIENTIP from cloud.getWXContext()), never what the
// event says. Variables: zhenzisms_settings.js; the security model: docs/guide.md §8.
'use strict';

const cloud = require('wx-server-sdk');
// The SDK's internals (_call, _core…) as well as its public API: typed loosely here.
const sdk = /** @type {any} */ (require('./zhenzisms.js'));
const settings = require('./zhenzisms_settings.js');
const { createStore, isMissingCollection } = require('./zhenzisms_store.js');
const { sendCodeSms } = require('./zhenzisms_sms.js');
const { signToken, verifyToken } = require('./zhenzisms_token.js');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

// What each verification outcome answers beside it (msg / data), as the vendor's function did:
// the texts are the core's (vocabulary()), read once the wasm is in.
let outcomeTexts = null;
function outcomeText(result) {
  if (!outcomeTexts) {
    outcomeTexts = { not_verified: '该用户最近没有验证过这个号码' };
    for (const o of sdk.server.core().vocabulary().outcomes) outcomeTexts[o.result === 'ok' ? 'success' : o.result] = o.text;
  }
  return outcomeTexts[result];
}
const COLLECTION = 'sms-record';
const MAX_EVENT_CHARS = 16384;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DAY_MS = 86400000;
const BEIJING_MS = 8 * 3600000;

// A refusal decided here, carrying an SDK error {code, kind, reason, message, solution, …}.
class Refusal extends Error {
  constructor(info) {
    super(info.reason);
    this.info = info;
  }
}

function errorInfo(code, detail, solution) {
  const info = sdk.server.errorInfo(code, detail);
  if (solution) info.solution = solution;
  return info;
}

function refuse(code, detail, solution) {
  return new Refusal(errorInfo(code, detail, solution));
}

function envSolution(name) {
  return '在云开发控制台 → 云函数 zhenzisms → 版本与配置 → 环境变量中设置 ' + name + '，保存后重新调用（docs/guide.md §4）';
}

// Cloud-side advice where the table's assumes a mini-program: a cloud function has no
// request-domain list, and its configuration is its environment variables.
function inCloud(info) {
  if (info.code === 9100) info.solution = '稍后重试；持续出现时检查环境变量 ZHENZI_API_URL 与榛子云的服务状态';
  if (info.code === 9001) {
    const name = /apiUrl/.test(info.detail) ? 'ZHENZI_API_URL' : /appSecret/.test(info.detail) ? 'ZHENZI_APP_SECRET' : /appId/.test(info.detail) ? 'ZHENZI_APP_ID' : '';
    if (name) {
      info.detail = name + ': ' + info.detail;
      info.solution = envSolution(name);
    }
  }
  return info;
}

// 云函数日志 shows every failure: code, reason, detail, what to do. Never the secret (the core
// never puts it in an error) nor a code (no error carries one).
function log(route, info) {
  console.error('[zhenzisms] ' + (route || '$url?') + ': ' + info.code + ' ' + info.reason + (info.detail ? ' (' + info.detail + ')' : '') + ' — ' + info.solution);
}

// ---- the event, field by field: text or refused (100), never a crash ----

function text(event, key, max) {
  const v = event[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' && !(typeof v === 'number' && isFinite(v))) throw refuse(100, key + ' must be text');
  const s = String(v);
  if (s.length > max) throw refuse(100, key + ' is longer than ' + max + ' characters');
  if (LONE_SURROGATE.test(s)) throw refuse(100, key + ' is not well-formed text');
  return s;
}

function templateParams(event) {
  let v = event.templateParams;
  if (v === undefined || v === null || v === '') return undefined;
  const bad = () => refuse(100, 'templateParams must be an array of at most 20 short strings');
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v); // vendor E writes the array back as JSON text
    } catch (e) {
      throw bad();
    }
  }
  const item = (x) => (typeof x === 'string' && x.length <= 200 && !LONE_SURROGATE.test(x)) || (typeof x === 'number' && isFinite(x));
  if (!Array.isArray(v) || v.length > 20 || !v.every(item)) throw bad();
  return v.map(String);
}

// A whole number the page asks for (length, seconds…), or undefined: the server's value stays.
function asked(event, key) {
  const v = event[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v) : NaN;
  return isFinite(n) && n > 0 ? n : undefined;
}

// The number in its one canonical form, as the core compares numbers ('' when it is not a
// mainland mobile number): every limit, record and lookup is keyed on it.
// The number's one canonical form, from the core ('' when it is not a mainland mobile number).
function canonical(raw) {
  return sdk.server.core().normalizeNumber(raw).ok || '';
}

function numberOf(event) {
  const r = sdk.server.core().normalizeNumber(text(event, 'number', 64));
  if (r.err) throw refuse(100, r.err.detail);
  return r.ok;
}

// ---- replies: every reading the vendor's pages use works on one object ----

// Zhenzi calls: v2 pages read result.code / result.data, v1 pages result.body.code.
function zhenziReply(v) {
  const r = { code: v.code, data: v.data, body: { code: v.code, data: v.data } };
  if (v.error) r.error = v.error;
  return r;
}

const ZHENZI_ROUTES = ['send', 'balance', 'findSmsByMessageId'];

function failure(route, info, tag) {
  if (ZHENZI_ROUTES.indexOf(route) >= 0 || !route) return zhenziReply({ code: info.code, data: info.reason, error: info });
  let code = tag || 'error';
  if (!tag && (route === 'sendCode' || route === 'createCode')) code = info.code === 9201 ? 'intervalError' : 'smsError';
  const msg = info.detail ? info.reason + '：' + info.detail : info.reason;
  const r = { code: code, msg: msg, data: msg, error: info };
  if (route === 'sendCode') delete r.data; // v1 sendCode answered {code, msg}
  return r;
}

// ---- Zhenzi ----

// A Zhenzi call, answered as {code, data} plus `error` when it failed. All attempts fit in
// ZHENZI_TIMEOUT_MS, under CloudBase's 3 s default function timeout, so a Zhenzi that does
// not answer gives the page 9101 rather than a killed function (9105, outcome unknown). The
// core splits the budget (src/policy.rs): a send gets it whole (it is never repeated), a read
// shares it with 2 retries.
async function zhenzi(op, params, s) {
  const outcome = await sdk.server.call(s.config, op, params, { budgetMs: s.budgetMs });
  if (!outcome.err) return { code: outcome.vendor.code, data: outcome.vendor.data };
  const err = inCloud(outcome.err);
  log(op, err);
  return { code: outcome.vendor.code, data: outcome.vendor.data, error: err };
}

// ---- limits ----

// Claims every slot (compare-and-set) or gives back those it got.
async function claimAll(store, keys, seen, next) {
  for (let i = 0; i < keys.length; i++) {
    if (await store.claim(keys[i], seen[i], next[i])) continue;
    await releaseAll(store, keys.slice(0, i), seen, next);
    return false;
  }
  return true;
}

function releaseAll(store, keys, seen, next) {
  return Promise.all(keys.map((k, i) => store.claim(k, { exists: true, sentAt: next[i].sentAt, count: next[i].count }, seen[i])));
}

// Code limits: per number, per caller, per (caller, number), each a cooldown and a daily cap.
async function codeLimits(store, s, caller, number) {
  const keys = s.limits.map(([kind]) => kind + ':' + (kind === 'number' ? number : kind === 'caller' ? caller : caller + '|' + number));
  const seen = await Promise.all(keys.map((k) => store.slot(k)));
  const limits = seen.map((slot, i) => [slot.sentAt, slot.day, slot.count, s.limits[i][1], s.limits[i][2]]);
  return { keys, seen, limits };
}

// The server's policy as the page may change it: a longer code and a shorter life, nothing
// else; a value that is not a whole number in range leaves the server's.
function tightened(policy, event) {
  const p = Object.assign({}, policy);
  const length = asked(event, 'length');
  const seconds = asked(event, 'seconds');
  if (length && length <= 8 && length === Math.floor(length)) p.length = Math.max(p.length, length);
  if (seconds && seconds >= 1) p.seconds = Math.min(p.seconds, seconds);
  return p;
}

// A new code for (caller, number), its limits claimed: {ok: {code, record}, release} or {err}.
async function issueCode(event, caller, store, s, number) {
  const l = await codeLimits(store, s, caller, number);
  const input = { number: number, now: Date.now(), key: s.key, policy: tightened(s.policy, event), limits: l.limits };
  const issued = sdk.server.issueCode(input);
  if (issued.err) return { err: issued.err };
  // Each slot after this send: now, today (the record's day), one more than today's count.
  const today = issued.ok.record.day;
  const next = l.seen.map((slot) => ({ sentAt: input.now, day: today, count: (slot.day < today ? 0 : slot.count) + 1 }));
  if (!(await claimAll(store, l.keys, l.seen, next))) {
    return { err: errorInfo(9201, 'another code is being sent to this number or by this user') };
  }
  return { ok: issued.ok, release: () => releaseAll(store, l.keys, l.seen, next) };
}

// An opted-in route: at most ZHENZI_ROUTE_DAILY_CAP calls per caller per (Beijing) day.
async function routeAllowance(store, s, route, caller) {
  const key = 'route:' + route + ':' + caller;
  for (let tries = 0; tries < 3; tries++) {
    const slot = await store.slot(key);
    const now = Date.now();
    const today = Math.floor((now + BEIJING_MS) / DAY_MS);
    const used = slot.day < today ? 0 : slot.count; // fails closed on a NaN day
    if (s.routeDailyCap > 0 && used >= s.routeDailyCap) {
      throw refuse(9202, route + ': ' + used + ' calls by this user today; the cap is ZHENZI_ROUTE_DAILY_CAP=' + s.routeDailyCap);
    }
    if (await store.claim(key, slot, { sentAt: now, day: today, count: used + 1 })) return;
  }
  throw refuse(9201, route + ': too many calls at once');
}

// ---- routes ----

async function sendCode(event, caller, store, s) {
  const number = numberOf(event);
  const content = { message: text(event, 'message', 1000), templateId: text(event, 'templateId', 64), templateParams: templateParams(event) };
  const issued = await issueCode(event, caller, store, s, number);
  if (issued.err) return failure('sendCode', issued.err);
  const ok = issued.ok;
  const sent = await sendCodeSms({
    number: number,
    code: ok.code,
    minutes: Math.ceil((ok.record.expiresAt - ok.record.sentAt) / 60000),
    event: content,
    clientIp: s.clientIp,
    call: (op, params) => zhenzi(op, params, s),
    errorInfo: errorInfo,
    provider: s.provider,
    budgetMs: s.budgetMs,
  });
  if (sent.err && !sent.err.unsure) {
    await issued.release(); // nothing was sent: no cooldown, nothing counted
    return failure('sendCode', sent.err);
  }
  // Sent, or perhaps sent (a timeout): the code is kept, so it works if it arrives.
  await store.add(caller, number, ok.record);
  return sent.err ? failure('sendCode', sent.err) : { code: 'success', msg: '发送成功' }; // never the code
}

async function validateCode(event, caller, store, s) {
  const core = sdk.server;
  const raw = text(event, 'number', 64);
  const code = text(event, 'code', 64);
  const number = canonical(raw);
  // Checked against this caller's newest code: another user's code cannot be used. A lost
  // race means another check changed the record (an attempt spent, or the code used), which
  // can happen at most maxAttempts + 1 times: retry that often, so no check is dropped.
  for (let tries = 0; tries < s.policy.maxAttempts + 2; tries++) {
    // This caller's code for this number; failing that, their newest (→ number_error).
    const doc = (number && (await store.latestFor(caller, number))) || (await store.latestByCaller(caller));
    const v = core.verifyCode({ number: raw, code: code, now: Date.now(), key: s.key, record: doc && doc.record });
    if (!v.ok) throw new Refusal(v.err);
    const r = v.ok;
    if (doc && JSON.stringify(r.record) !== JSON.stringify(doc.record) && !(await store.replace(doc, r.record))) continue;
    if (r.result !== 'ok') return { code: r.result, msg: outcomeText(r.result), data: outcomeText(r.result) };
    const at = Date.now();
    const claim = { openid: caller, number: r.record.number, verifiedAt: at, expiresAt: at + s.verifyMs };
    await store.addVerified({ openid: caller, number: claim.number, at: at, expiresAt: claim.expiresAt });
    return { code: 'success', msg: outcomeText('success'), data: outcomeText('success'), verified: { token: signToken(claim, s.verifyKey), expiresAt: claim.expiresAt } };
  }
  return { code: 'code_used', msg: outcomeText('code_used'), data: outcomeText('code_used') };
}

// {number?, token?, maxAgeSeconds?} → did the CALLER verify (this number) within the age?
async function checkVerified(event, caller, store, s) {
  const now = Date.now();
  const maxMs = Math.min(s.verifyMs, (asked(event, 'maxAgeSeconds') || Infinity) * 1000);
  const no = (why) => ({ code: 'not_verified', msg: outcomeText('not_verified'), data: outcomeText('not_verified'), detail: why });
  let number;
  if (text(event, 'number', 64) !== '') {
    number = canonical(text(event, 'number', 64));
    if (!number) return no('not a mainland mobile number');
  }
  if (text(event, 'token', 1024) !== '') {
    const t = verifyToken(text(event, 'token', 1024), { key: s.verifyKey, openid: caller, number: number, maxAgeSeconds: maxMs / 1000, now: now });
    return t.ok ? { code: 'success', number: t.ok.number, verifiedAt: t.ok.verifiedAt } : no(String(t.err));
  }
  const doc = await store.latestVerified(caller, number);
  const v = doc && doc.verified;
  if (!v || !(now < v.expiresAt) || !(now - v.at <= maxMs)) return no('no verification in time');
  return { code: 'success', number: v.number, verifiedAt: v.at };
}

async function send(event, caller, store, s) {
  const p = {
    number: numberOf(event),
    message: text(event, 'message', 1000),
    templateId: text(event, 'templateId', 64),
    templateParams: templateParams(event),
    messageId: text(event, 'messageId', 64),
    clientIp: s.clientIp, // the platform's, never the event's
  };
  if (/^zc-/.test(p.messageId)) throw refuse(100, 'messageId: the prefix zc- is reserved for code SMS');
  await routeAllowance(store, s, 'send', caller);
  const reply = await zhenzi('send', p, s); // the core decides text or template (request::send_op)
  if (reply.code === 0 && p.messageId) await store.addSent(caller, p.messageId, Date.now());
  return zhenziReply(reply);
}

async function balance(event, caller, store, s) {
  await routeAllowance(store, s, 'balance', caller);
  return zhenziReply(await zhenzi('balance', {}, s));
}

// Only ids this caller sent through `send`: never a code SMS, never another user's message.
async function findSmsByMessageId(event, caller, store, s) {
  const messageId = text(event, 'messageId', 64);
  if (!messageId) throw refuse(100, 'messageId is empty');
  await routeAllowance(store, s, 'findSmsByMessageId', caller);
  if (!(await store.sentBy(caller, messageId))) return zhenziReply({ code: 0, data: {} });
  return zhenziReply(await zhenzi('findSmsByMessageId', { messageId: messageId }, s));
}

// Vendor v2: the code goes to the page, which sends it itself. Same limits as sendCode.
async function createCode(event, caller, store, s) {
  const number = numberOf(event);
  await routeAllowance(store, s, 'createCode', caller);
  const issued = await issueCode(event, caller, store, s, number);
  if (issued.err) return failure('createCode', issued.err);
  await store.add(caller, number, issued.ok.record);
  return { code: 'success', msg: '', data: issued.ok.code };
}

const ROUTES = { sendCode, validateCode, checkVerified, send, balance, findSmsByMessageId, createCode };

async function handle(route, event) {
  await sdk.ready();
  if (!Object.prototype.hasOwnProperty.call(ROUTES, route)) throw refuse(100, 'unknown $url: ' + route.slice(0, 40));
  let size = Infinity;
  try {
    size = JSON.stringify(event).length;
  } catch (e) {
    throw refuse(100, 'the event is not JSON');
  }
  if (size > MAX_EVENT_CHARS) throw refuse(100, 'the event is over ' + MAX_EVENT_CHARS + ' characters');
  const read = settings.read();
  if (read.err) throw refuse(9001, read.err.name + ' ' + read.err.why, envSolution(read.err.name));
  const s = read.ok;
  if (s.provider.name === 'zhenzi') {
    const checked = sdk.server.core().buildRequest('balance', JSON.stringify(s.config), '{}');
    if (checked.err) throw new Refusal(inCloud(checked.err));
  } else if (ZHENZI_ROUTES.indexOf(route) >= 0) {
    throw refuse(9001, "route '" + route + "' talks to Zhenzi, and SMS_PROVIDER is " + s.provider.name, '这个路由只用于榛子云（SMS_PROVIDER=zhenzi）');
  }
  if (settings.OPT_IN.indexOf(route) >= 0 && !s.routes.has(route)) {
    const why = route === 'createCode' ? 'it hands the code to the phone; use sendCode' : 'it lets any user of the mini-program use it';
    const info = errorInfo(9001, "route '" + route + "' is off: " + why, '这个路由默认关闭（它让任何用户发短信、查余额或拿到验证码）。确需时设置环境变量 ZHENZI_COMPAT=vendor 或 ZHENZI_ROUTES=' + route + '（docs/guide.md §8）');
    throw new Refusal(Object.assign(info, { tag: 'disabled' }));
  }
  // Who calls is what WeChat says, never what the event says.
  const context = cloud.getWXContext() || {};
  const caller = typeof context.OPENID === 'string' ? context.OPENID : '';
  if (!caller) {
    throw new Refusal(Object.assign(errorInfo(9001, 'no OPENID: only mini-program users (and cloud functions they call through) may use zhenzisms', '从小程序用 wx.cloud.callFunction 调用；定时触发器、控制台测试等没有用户身份的调用会被拒绝'), { tag: 'no_openid' }));
  }
  const ip = typeof context.CLIENTIP === 'string' ? context.CLIENTIP.trim() : '';
  s.clientIp = /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : '';
  return ROUTES[route](event, caller, createStore(cloud.database(), COLLECTION), s);
}

exports.main = async (event) => {
  const ev = event && typeof event === 'object' ? event : {};
  const route = typeof ev.$url === 'string' ? ev.$url : '';
  try {
    return await handle(route, ev);
  } catch (e) {
    let info;
    try {
      info = e instanceof Refusal ? e.info
        : isMissingCollection(e) ? errorInfo(9001, 'the database collection ' + COLLECTION + ' does not exist', '在云开发控制台 → 数据库中创建集合 ' + COLLECTION + '（权限：仅创建者可读写即可）')
          : errorInfo(9105, 'the cloud function failed: ' + String(e && e.message || e).slice(0, 200));
    } catch (unloaded) {
      info = { code: 9104, kind: 'load', reason: 'SDK 未就绪（WebAssembly 未加载或加载失败）', message: String(e && e.message || e).slice(0, 200), solution: '重新上传并部署云函数（云端安装依赖）', retriable: false };
    }
    const tag = info.tag;
    delete info.tag;
    log(route, info);
    return failure(ROUTES[route] ? route : '', info, tag);
  }
};

// For tests and other cloud functions: the settings' defaults.
exports.defaults = settings.defaults;
