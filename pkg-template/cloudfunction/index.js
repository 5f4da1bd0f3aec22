// @ts-check
// The zhenzisms cloud function. appSecret stays here, in the function's environment
// variables, never in the mini-program. Routes (event.$url) follow the vendor's cloud
// functions, secure by default:
//   sendCode, validateCode     always on: the code is made, stored (as a keyed hash), sent
//                              with the operator's text and checked here, never returned
//   phoneNumber                always on: WeChat's one-tap code (手机号快速验证) exchanged by
//                              云调用 (config.json grants it), checked, and recorded as verified
//                              like a validated SMS code (zhenzisms_phone.js)
//   checkVerified              for the developer's other cloud functions: did this user
//                              (OPENID) verify this number recently?
//   send, balance, findSmsByMessageId, createCode
//                              off unless the deployer opts in (ZHENZI_COMPAT=vendor or
//                              ZHENZI_ROUTES=…), each with a per-caller daily cap
// The caller is who WeChat says (OPENID, CLIENTIP, ENV, APPID from cloud.getWXContext()), never what
// the event says. The core (Rust, zhenzisms_core_access.js) decides every limit, length and
// code; this file stores and forwards. Variables: zhenzisms_settings.js; the security model:
// the guide, §8 (zhenzisms_replies.js has its address).
'use strict';

const crypto = require('crypto');
const cloud = require('wx-server-sdk');
const access = require('./zhenzisms_core_access.js');
const settings = require('./zhenzisms_settings.js');
const limits = require('./zhenzisms_limits.js');
const R = require('./zhenzisms_replies.js');
const { createStore, isMissingCollection } = require('./zhenzisms_store.js');
const { sendCodeSms, chooseContent, partsOf } = require('./zhenzisms_sms.js');
const { signToken, verifyToken } = require('./zhenzisms_token.js');
const phone = require('./zhenzisms_phone.js');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const COLLECTION = 'sms-record';
const MAX_EVENT_CHARS = 16384;
const WIDEST_MINUTES = 1440; // ZHENZI_CODE_SECONDS is at most a day
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// A core configuration field → the variable that sets it.
const VARIABLE = { appId: 'ZHENZI_APP_ID', appSecret: 'ZHENZI_APP_SECRET', apiUrl: 'ZHENZI_API_URL', route: 'ZHENZI_API_URL' };

// A refusal decided here: the table's entry, the sentence for the page, the vendor code word.
class Refusal extends Error {
  constructor(info, say, tag) {
    super(info.reason);
    this.info = Object.assign(info, { decided: true });
    this.say = say;
    this.tag = tag;
  }
}

const refuse = (code, detail, say, tag) => new Refusal(access.errorInfo(code, detail), say, tag);

// A variable to set: named in the detail, the advice, the page's sentence and the log.
function refuseSetting(name, why, info) {
  const e = info || access.errorInfo(9001, '');
  e.detail = name + ' ' + why;
  e.solution = '在云开发控制台 → 云函数 zhenzisms → 版本与配置 → 环境变量中设置 ' + name + '，保存后重新调用（' + R.GUIDE + ' §4）';
  return new Refusal(e, '短信服务配置有误（' + name + '），请联系管理员。');
}

// Cloud-side advice where the table's assumes a mini-program: no request-domain list here.
function inCloud(info) {
  if (info.code === 9100) info.solution = '稍后重试；持续出现时检查环境变量 ZHENZI_API_URL 与榛子云的服务状态';
  if (info.code === 9001 && VARIABLE[info.field]) return refuseSetting(VARIABLE[info.field], '(' + info.field + ' ' + info.problem + ')', info).info;
  return info;
}

// A sendCode that timed out kept its code, which works if the SMS arrives: the page waits. Not
// the table's advice (look the send up by its messageId): a code SMS's id is the function's.
function keptCode(info) {
  if (info.code === 9101) info.solution = '验证码可能已经发出，而且仍然有效，先等短信，冷却结束后再重新获取';
  return info;
}

// ---- the event, field by field: text or refused (100), never a crash ----

function text(event, key) {
  const v = event[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' && !(typeof v === 'number' && isFinite(v))) throw refuse(100, key + ' must be text', R.SAY.badInput);
  const s = String(v);
  if (LONE_SURROGATE.test(s)) throw refuse(100, key + ' is not well-formed text', R.SAY.badInput);
  return s;
}

function templateParams(event) {
  let v = event.templateParams;
  if (v === undefined || v === null || v === '') return undefined;
  const bad = () => refuse(100, 'templateParams must be an array of texts', R.SAY.badInput);
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v); // vendor E writes the array back as JSON text
    } catch (e) {
      throw bad();
    }
  }
  const item = (x) => (typeof x === 'string' && !LONE_SURROGATE.test(x)) || (typeof x === 'number' && isFinite(x));
  if (!Array.isArray(v) || !v.every(item)) throw bad();
  return v.map(String);
}

// A number the page asks for (length, seconds, maxAgeSeconds), as a number or its digits, or
// undefined: the server's value stays.
function asked(event, key) {
  const v = event[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v) : NaN;
  return isFinite(n) && n > 0 ? n : undefined;
}

// The number's one canonical form, from the core ('' when it is not a mainland mobile number):
// every limit, record and lookup is keyed on it.
const canonical = (raw) => access.core.normalizeNumber(raw).ok || '';

function numberOf(event) {
  const r = access.core.normalizeNumber(text(event, 'number'));
  if (r.err) throw new Refusal(r.err, R.SAY.badNumber);
  return r.ok;
}

// What the page asks of its code, for the core: which wishes it grants (a longer code, a
// shorter life) is its rule (src/api.rs `asked`).
const wishes = (event) => ({ length: asked(event, 'length'), seconds: asked(event, 'seconds') });

// ---- Zhenzi ----

// A Zhenzi call, answered as {code, data} plus `error` when it failed. Every attempt fits in
// ZHENZI_TIMEOUT_MS, under CloudBase's 3 s default function timeout; how often a call is tried
// within it is the core's rule (src/policy.rs).
async function zhenzi(op, params, s) {
  const outcome = await access.call(s.config, op, params, { budgetMs: s.budgetMs });
  if (!outcome.err) return { code: outcome.vendor.code, data: outcome.vendor.data };
  const err = inCloud(outcome.err);
  R.log(op, err);
  return { code: outcome.vendor.code, data: outcome.vendor.data, error: err };
}

// ---- limits: what each is about, its rule, and what a page reads when it refuses ----

function item(subject, rule, say, shared) {
  return { subject: subject, rule: rule.rule, name: rule.name, say: say, shared: !!shared };
}

// A caller's codes: across numbers, and for this number.
const callerItems = (c, number) => [
  item('caller:' + c.caller, c.s.rules.caller, 'caller'),
  item('pair:' + c.caller + '|' + number, c.s.rules.pair, 'pair'),
];
const codeItems = (c, number) => [item('number:' + number, c.s.rules.number, 'number')].concat(callerItems(c, number));

// Per platform address, by the hour and by the day.
const addressItems = (c) => [
  item('ip-hour:' + c.address, c.s.rules.ipHour, 'ipHour', true),
  item('ip-day:' + c.address, c.s.rules.ipDay, 'ipDay', true),
];
// Every SMS the function sends: per address, and the whole function's day.
const smsItems = (c) => addressItems(c).concat([item('budget', c.s.rules.budget, 'budget', true)]);

const routeItem = (c, route) => item('route:' + route + ':' + c.caller, c.s.rules.route, 'route');
// Shared: one caller's concurrent checks each ask the core again, so all of them are counted.
const checksItem = (c) => item('checks:' + c.caller, c.s.rules.checks, 'checks', true);
const phoneItem = (c) => item('phone:' + c.caller, c.s.rules.phone, 'phone');

// How many times one use counts against each of `items`: an SMS limit counts the parts the
// SMS is billed as (the core's smsParts), everything else once.
const usesOf = (items, parts) => items.map((it) => (it.say === 'ipHour' || it.say === 'ipDay' || it.say === 'budget' ? parts : 1));

// The core's refusal by one of `items` ({err, limit, retryAfter?}) as a Refusal naming its variable.
function limitRefusal(answer, items) {
  const it = items[answer.limit];
  if (!it) return new Refusal(answer.err, R.SAY.failed);
  const info = answer.err;
  info.detail = (info.code === 9201 ? 'ZHENZI_COOLDOWN_SECONDS' : it.name) + ': ' + info.detail;
  if (info.code === 9202) info.solution = it.name + ' 设定了这个上限（' + R.GUIDE + ' §4）；调大它，或等下一个周期';
  return new Refusal(info, info.code === 9201 ? R.SAY.cooldown(answer.retryAfter) : R.SAY[it.say]);
}

// The core's warnings at 80 % of a cap, for the operator (once per period: the CAS counts each use once).
function warnNear(warn, items) {
  for (const i of warn || []) console.warn('[zhenzisms] ' + items[i].name + ' is at 80 % or more of its cap for this period (' + R.clip(items[i].subject.split(':')[0], 20) + ')');
}

// Asks the core again about one shared slot another call changed first: {slot} or {refused}.
function retaker(c, items, uses) {
  return (i, limit) => {
    const again = access.core.limitsTake({ now: c.now, limits: [limit], uses: [uses ? uses[i] : 1] });
    if (again.err) return { refused: limitRefusal(Object.assign(again, { limit: i }), items) };
    warnNear(again.ok.warn.map(() => i), items);
    return { slot: again.ok.slots[0] };
  };
}

// Gives one use of a shared slot back, from what is stored now (the core's arithmetic).
function giver(c, uses) {
  return (i, limit) => access.core.limitsGive({ now: c.now, limits: [limit], uses: [uses ? uses[i] : 1] }).ok.slots[0];
}

// Claims `items` as the core answered: → release(), or a Refusal thrown.
/** @returns {Promise<() => Promise<any>>} */
async function claimed(c, held, taken, extra, what, uses, busySay) {
  const release = /** @type {any} */ (await limits.claim(c.store, held, taken.slots, extra, retaker(c, held.items, uses), giver(c, uses)));
  if (release && release.refused) throw release.refused;
  if (!release) throw refuse(9201, what, busySay || R.SAY.busy);
  warnNear(taken.warn, held.items);
  return release;
}

// Reads, checks (core) and claims `items` for one use: → release(), or a Refusal thrown.
async function useLimits(c, items, what, uses, busySay) {
  const held = await limits.read(c.store, items);
  const taken = access.core.limitsTake({ now: c.now, limits: held.limits, uses: uses });
  if (taken.err) throw limitRefusal(taken, items);
  return claimed(c, held, taken.ok, null, what + ': too many calls at once', uses, busySay);
}

// The core's answer to one more check (validateCode, checkVerified) on the meter as read, or
// its refusal thrown; then the check is counted: concurrent checks by one caller each ask the
// core again, so none goes uncounted and none passes the cap.
function checkAllowed(c, meter) {
  const taken = access.core.limitsTake({ now: c.now, limits: meter.limits });
  if (taken.err) throw limitRefusal(taken, meter.items);
  return taken.ok;
}
const countCheck = (c, meter, taken) => claimed(c, meter, taken, null, 'checks: too many at once');

// ---- documents a page wrote (the permission lets pages write): never trusted, said once ----

let pageWrites = false;
function pageDocument() {
  if (pageWrites) return;
  pageWrites = true;
  console.error('[zhenzisms] permission mistake: sms-record holds a document a mini-program page wrote (it has _openid); the function never trusts it. ' + R.SETUP + '（' + R.GUIDE + ' §4）');
}

// In parallel with a route's first reads: has this caller's page added documents?
function probe(c) {
  if (pageWrites) return null;
  return c.store.pageDocuments(c.caller).then((docs) => docs.length && pageDocument(), () => null);
}

// ---- the verified mark: one record, written by any route that proved a number ----

// {token, expiresAt, via}, or the same with token null and why when tokens are off.
function verifiedAnswer(c, caller, number, mark) {
  const out = { token: null, expiresAt: mark.expiresAt, via: mark.via };
  if (!c.s.verifyKey) return Object.assign(out, { why: 'tokens are off: ZHENZI_VERIFY_KEY is not set (checkVerified still answers)' });
  out.token = signToken({ openid: caller, number: number, verifiedAt: mark.at, expiresAt: mark.expiresAt, via: mark.via, audience: c.audience }, c.s.verifyKey);
  return out;
}

function markOf(c, via) {
  const at = Date.now();
  return { at: at, expiresAt: at + c.s.verifyMs, via: via };
}

// Notes `mark` as the caller's newest verification (what checkVerified without a number
// reads), over `seen` as read, unless a newer one was noted meanwhile.
async function noteLatest(c, seen, caller, number, mark) {
  for (let tries = 0; tries < 5; tries++) {
    if (seen.body && seen.body.verified && seen.body.verified.at > mark.at) return;
    if (await c.store.putLast(seen, { caller: caller, number: number, verified: mark })) return;
    seen = await c.store.last(caller);
  }
  throw refuse(9201, 'the verified mark could not be written: too many writes at once', R.SAY.busy);
}

// Records that `caller` proved `number` (via 'sms', or 'phone' for the one-tap route).
async function markVerified(c, caller, number, via) {
  for (let tries = 0; tries < 5; tries++) {
    const [doc, last] = await Promise.all([c.store.code(caller, number), c.store.last(caller)]);
    const mark = markOf(c, via);
    const body = Object.assign({ caller: caller, number: number, record: null, created: false }, doc.body || {}, { verified: mark });
    if (await c.store.putCode(doc, body)) {
      await noteLatest(c, last, caller, number, mark);
      return verifiedAnswer(c, caller, number, mark);
    }
  }
  throw refuse(9201, 'the verified mark could not be written: too many writes at once', R.SAY.busy);
}

// Writes the caller's code document (a new code), keeping a verified mark written meanwhile.
async function writeCode(c, doc, body) {
  for (let tries = 0; tries < 5; tries++) {
    if (await c.store.putCode(doc, body)) return;
    doc = await c.store.code(body.caller, body.number);
    body = Object.assign({}, body, { verified: doc.body ? doc.body.verified : body.verified });
  }
  throw refuse(9201, 'the code could not be stored: too many writes at once', R.SAY.busy);
}

// ---- routes ----

// One round trip reads every slot and the code document; one claims the slots; the SMS goes
// out; one stores the code.
async function sendCode(event, c) {
  const s = c.s;
  const number = numberOf(event);
  const wanted = { message: text(event, 'message'), templateId: text(event, 'templateId') };
  const items = codeItems(c, number).concat(smsItems(c));
  // What the budgets count, before the core issues the code: the parts of the widest SMS this
  // call can send (the code's and the minutes' digits at their most: 8 and 1440).
  const widest = chooseContent(wanted, s.sms, WIDEST_MINUTES).content;
  const uses = usesOf(items, partsOf(widest, access.core.codeLength().max, access.core.smsParts));
  const [held, doc] = await Promise.all([limits.read(c.store, items), c.store.code(c.caller, number), probe(c)]);
  const issued = access.core.codeIssue({ number: number, now: c.now, key: s.key, policy: s.policy, asked: wishes(event), limits: held.limits, uses: uses });
  if (issued.err) throw issued.limit === undefined ? new Refusal(issued.err, R.SAY.badInput) : limitRefusal(issued, items);
  const minutes = issued.ok.minutes; // the code's life, as the SMS says it
  const chosen = chooseContent(wanted, s.sms, minutes);
  const extra = items.map((it) => (it.subject.indexOf('caller:') === 0 ? { number: number } : null));
  const release = await claimed(c, held, issued.ok, extra, 'another code is being sent to this number or by this user', uses);
  if (chosen.warn && s.provider.name === 'zhenzi') R.warnOnce(chosen.warn);
  const sent = await sendCodeSms({
    number: number,
    code: issued.ok.code,
    minutes: minutes,
    content: chosen.content,
    clientIp: c.ip,
    call: (op, params) => zhenzi(op, params, s),
    errorInfo: access.errorInfo,
    provider: s.provider,
    budgetMs: s.budgetMs,
  });
  if (sent.err && !sent.err.unsure) {
    await release(); // nothing was sent: no cooldown, nothing counted
    if (s.provider.name !== 'zhenzi') R.log('sendCode', sent.err); // zhenzi() logged its own
    return R.failure('sendCode', sent.err);
  }
  // Sent, or perhaps sent (a timeout): the code is kept, so it works if it arrives.
  const verified = doc.body ? doc.body.verified : null;
  await writeCode(c, doc, { caller: c.caller, number: number, record: issued.ok.record, created: false, verified: verified });
  if (sent.err) return R.failure('sendCode', keptCode(sent.err));
  const reply = { code: 'success', msg: '发送成功' }; // never the code
  return chosen.warn && s.provider.name === 'zhenzi' ? Object.assign(reply, { warn: chosen.warn }) : reply;
}

// One round trip reads the code document, the caller's last number and the meter; one writes
// the checked record (with the verified mark when it proved the number) and the meter.
async function validateCode(event, c) {
  const raw = text(event, 'number');
  const code = text(event, 'code');
  const number = canonical(raw);
  const texts = access.core.outcomeTexts();
  const answer = (result, more) => Object.assign({ code: result, msg: texts[result], data: texts[result] }, more || {});
  // Checked against this caller's code for the number: another user's code cannot be used. A
  // lost race means another check changed the record (an attempt spent, or the code used),
  // which can happen at most maxAttempts + 1 times: retry that often, so no check is dropped.
  for (let tries = 0; tries < c.s.policy.maxAttempts + 2; tries++) {
    const [doc, lastSent, meter, latest] = await Promise.all([
      number ? c.store.code(c.caller, number) : null,
      c.store.slot('caller:' + c.caller), // its number: the caller's last code's
      limits.read(c.store, [checksItem(c)]),
      c.store.last(c.caller),
      probe(c),
    ]);
    const taken = checkAllowed(c, meter);
    const record = doc && doc.body && doc.body.record;
    if (!record) {
      await countCheck(c, meter, taken);
      const other = lastSent.body && lastSent.body.number && lastSent.body.number !== number;
      return answer(other ? 'number_error' : 'empty');
    }
    const v = access.core.codeVerify({ number: raw, code: code, now: Date.now(), key: c.s.key, record: record });
    if (v.err) throw new Refusal(v.err, R.SAY.failed);
    const r = v.ok;
    // Only a code the function sent proves the number: a createCode code went to the page.
    const proved = r.result === 'ok' && !doc.body.created;
    const body = Object.assign({}, doc.body, { record: r.record }, proved ? { verified: markOf(c, 'sms') } : {});
    const changed = JSON.stringify(r.record) !== JSON.stringify(record);
    // In parallel, in the second round trip: the record, the meter, and (proved) the caller's
    // newest mark. That mark may be written by a call that then loses the record's race: only
    // to another call of this caller's for this number (the record is the caller's own), with
    // the right code for it, so what it says still holds.
    const [won] = await Promise.all([
      changed ? c.store.putCode(doc, body) : true,
      countCheck(c, meter, taken),
      proved ? noteLatest(c, latest, c.caller, number, body.verified) : null,
    ]);
    if (!won) continue;
    if (r.result !== 'ok') return answer(r.result);
    if (!proved) return answer('success', { note: 'a createCode code was handed to the page, so it proves nothing: no verified mark and no token (use sendCode)' });
    return answer('success', { verified: verifiedAnswer(c, c.caller, number, body.verified) });
  }
  return answer('code_used');
}

// A backend's freshness demand: seconds above 0 (a number, or its text), Infinity when not given;
// anything else is refused (100), never read as "not given".
function maxAge(event) {
  const v = event.maxAgeSeconds;
  if (v === undefined || v === null || v === '') return Infinity;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!(n > 0 && isFinite(n))) throw refuse(100, 'maxAgeSeconds must be a number of seconds above 0', R.SAY.badInput);
  return n;
}

// {number?, token?, maxAgeSeconds?} → did the CALLER verify (this number) within the age?
async function checkVerified(event, c) {
  const s = c.s;
  const now = Date.now();
  const maxMs = Math.min(s.verifyMs, maxAge(event) * 1000);
  const no = (why) => ({ code: 'not_verified', msg: '该用户最近没有验证过这个号码', data: '该用户最近没有验证过这个号码', detail: why });
  const yes = (number, mark) => ({ code: 'success', number: number, verifiedAt: mark.at, via: mark.via });
  const given = text(event, 'number');
  const number = given === '' ? '' : canonical(given);
  if (given !== '' && !number) return no('not a mainland mobile number');
  const token = text(event, 'token');
  const [meter, found] = await Promise.all([
    limits.read(c.store, [checksItem(c)]),
    token ? null : number ? c.store.code(c.caller, number) : c.store.last(c.caller),
    probe(c),
  ]);
  await countCheck(c, meter, checkAllowed(c, meter));
  if (token) {
    if (!s.verifyKey) return no('tokens are off: ZHENZI_VERIFY_KEY is not set');
    const t = verifyToken(token, { key: s.verifyKey, audience: c.audience, openid: c.caller, number: number || undefined, maxAgeSeconds: maxMs / 1000, now: now });
    return t.ok ? yes(t.ok.number, { at: t.ok.verifiedAt, via: t.ok.via }) : no(String(t.err));
  }
  const body = found && found.body;
  const mark = body && body.caller === c.caller && body.verified;
  if (!mark) {
    if (body && body.created && body.record && body.record.used) return no('the code that was checked came from createCode (the page saw it), which proves nothing: use sendCode');
    return no('no verification by this user' + (number ? ' of this number' : ''));
  }
  if (!(now < mark.expiresAt) || !(now - mark.at <= maxMs)) return no('no verification in time');
  return yes(body.number, mark);
}

// A messageId of the `send` route, kept apart per caller before it reaches Zhenzi: no caller
// can name (or look up) another caller's message.
function ownId(c, id) {
  return id ? c.idPrefix + id : '';
}

async function send(event, c) {
  const p = {
    number: numberOf(event),
    message: text(event, 'message'),
    templateId: text(event, 'templateId'),
    templateParams: templateParams(event),
    messageId: ownId(c, text(event, 'messageId')),
    clientIp: c.ip, // the platform's, never the event's
  };
  const items = [routeItem(c, 'send')].concat(smsItems(c));
  // A long text is billed as several SMS: the budgets count them all. A template's own text is
  // on Zhenzi's side: its parameters alone are counted (at least what it is billed).
  const parts = partsOf({ message: p.templateId ? (p.templateParams || []).join('') : p.message }, 0, access.core.smsParts);
  const release = await useLimits(c, items, 'send', usesOf(items, parts));
  const reply = await zhenzi('send', p, c.s); // the core decides text or template (request::send_op)
  if (reply.error && ['timeout', 'network', 'http', 'reply'].indexOf(reply.error.kind) < 0) await release();
  return R.zhenziReply(reply);
}

async function balance(event, c) {
  await useLimits(c, [routeItem(c, 'balance')], 'balance');
  return R.zhenziReply(await zhenzi('balance', {}, c.s));
}

// Only ids this caller sent through `send` can match: the id is looked up under their prefix.
async function findSmsByMessageId(event, c) {
  const messageId = text(event, 'messageId');
  if (!messageId) throw refuse(100, 'messageId is empty', R.SAY.badInput);
  await useLimits(c, [routeItem(c, 'findSmsByMessageId')], 'findSmsByMessageId');
  const reply = await zhenzi('findSmsByMessageId', { messageId: ownId(c, messageId) }, c.s);
  const data = /** @type {any} */ (reply.data); // a record {messageId, message, …} or {}
  if (data && typeof data === 'object' && typeof data.messageId === 'string' && data.messageId.indexOf(c.idPrefix) === 0) {
    reply.data = Object.assign({}, data, { messageId: data.messageId.slice(c.idPrefix.length) });
  }
  return R.zhenziReply(reply);
}

// Vendor v2: the code goes to the page, which sends it itself. The caller's code limits and the
// address's apply; the number's do not, since nothing is sent to it (so no crowd of accounts
// can spend a number's day without an SMS, and lock its owner out). The code checks (vendor
// pages) but never proves the number (validateCode, checkVerified).
const createItems = (c, number) => [routeItem(c, 'createCode')].concat(callerItems(c, number), addressItems(c));

async function createCode(event, c) {
  const number = numberOf(event);
  const items = createItems(c, number);
  const [held, doc] = await Promise.all([limits.read(c.store, items), c.store.code(c.caller, number)]);
  const issued = access.core.codeIssue({ number: number, now: c.now, key: c.s.key, policy: c.s.policy, asked: wishes(event), limits: held.limits });
  if (issued.err) throw issued.limit === undefined ? new Refusal(issued.err, R.SAY.badInput) : limitRefusal(issued, items);
  const extra = items.map((it) => (it.subject.indexOf('caller:') === 0 ? { number: number } : null));
  await claimed(c, held, issued.ok, extra, 'another code is being made for this number or by this user');
  await writeCode(c, doc, { caller: c.caller, number: number, record: issued.ok.record, created: true, verified: doc.body ? doc.body.verified : null });
  return { code: 'success', msg: '', data: issued.ok.code };
}

// What the one-tap route borrows from this file (zhenzisms_phone.js says why each).
const PHONE_KIT = {
  refuse: refuse,
  useLimits: useLimits,
  phoneItem: phoneItem,
  markVerified: markVerified,
  normalizeNumber: (raw) => access.core.normalizeNumber(raw),
  outcomeTexts: () => access.core.outcomeTexts(),
  probe: probe,
};

// {code} from WeChat's getPhoneNumber / getRealtimePhoneNumber button → verified, or a typed
// refusal with fallback 'sms' (main adds it).
const phoneNumber = (event, c) => phone.phoneNumber(event, c, cloud, PHONE_KIT);

const ROUTES = { sendCode, validateCode, phoneNumber, checkVerified, send, balance, findSmsByMessageId, createCode };

// The address a budget counts by: an IPv4 address, or an IPv6 address's /64 (one customer's
// network), so rotating addresses inside it buys nothing.
function addressOf(ip) {
  if (ip.indexOf(':') < 0 || ip.indexOf('.') >= 0) return ip;
  const [head, tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : h.concat(Array(Math.max(0, 8 - h.length - t.length)).fill('0'), t);
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':') + '::/64';
}

// Who calls, as the platform says. Read synchronously when the call starts.
function identity(context) {
  const ip = typeof context.CLIENTIP === 'string' ? context.CLIENTIP.trim() : '';
  return {
    caller: typeof context.OPENID === 'string' ? context.OPENID : '',
    ip: /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : '',
    env: typeof context.ENV === 'string' ? context.ENV : '',
    appid: typeof context.APPID === 'string' ? context.APPID : '', // the watermark's (phoneNumber)
  };
}

async function handle(route, event, who) {
  await access.ready();
  if (!Object.prototype.hasOwnProperty.call(ROUTES, route)) throw refuse(100, 'unknown $url: ' + R.clip(route, 40), R.SAY.badInput);
  let size = Infinity;
  try {
    size = JSON.stringify(event).length;
  } catch (e) {
    throw refuse(100, 'the event is not JSON', R.SAY.badInput);
  }
  if (size > MAX_EVENT_CHARS) throw refuse(100, 'the event is over ' + MAX_EVENT_CHARS + ' characters', R.SAY.badInput);
  const read = settings.read();
  if (read.err) throw refuseSetting(read.err.name, read.err.why);
  const s = read.ok;
  if (s.provider.name === 'zhenzi') {
    const checked = access.core.checkConfig(s.config);
    if (checked.err && VARIABLE[checked.err.field]) throw refuseSetting(VARIABLE[checked.err.field], '(' + checked.err.field + ' ' + checked.err.problem + ')', checked.err);
    if (checked.err) throw new Refusal(checked.err, R.SAY.config);
  } else if (R.ZHENZI_ROUTES.indexOf(route) >= 0) {
    throw refuse(9001, "route '" + route + "' talks to Zhenzi, and SMS_PROVIDER is " + s.provider.name, R.SAY.disabled);
  }
  if (settings.OPT_IN.indexOf(route) >= 0 && !s.routes.has(route)) {
    const why = route === 'createCode' ? 'it hands the code to the phone; use sendCode' : 'it lets any user of the mini-program use it';
    const info = access.errorInfo(9001, "route '" + route + "' is off: " + why);
    info.solution = '这个路由默认关闭（它让任何用户发短信、查余额或拿到验证码）。确需时设置环境变量 ZHENZI_COMPAT=vendor 或 ZHENZI_ROUTES=' + route + '（' + R.GUIDE + ' §8）';
    throw new Refusal(info, R.SAY.disabled + (route === 'createCode' ? '（请改用 sendCode）' : ''), 'disabled');
  }
  if (!who.caller) {
    const info = access.errorInfo(9001, 'no OPENID: only mini-program users (and cloud functions they call through) may use zhenzisms');
    info.solution = '从小程序用 wx.cloud.callFunction 调用；定时触发器、控制台测试等没有用户身份的调用会被拒绝';
    throw new Refusal(info, R.SAY.noUser, 'no_openid');
  }
  const store = createStore(cloud.database(), COLLECTION, s.key, pageDocument);
  const c = {
    caller: who.caller,
    appid: who.appid,
    ip: who.ip, // to Zhenzi as clientIp, as the platform gave it
    address: who.ip ? addressOf(who.ip) : 'none', // what the budgets count by; calls without one share one
    audience: s.audience || who.env,
    idPrefix: 'u' + crypto.createHmac('sha256', s.key).update('messageId|' + who.caller).digest('hex').slice(0, 12) + '-',
    now: Date.now(),
    s: s,
    store: store,
    markVerified: null,
  };
  c.markVerified = (caller, number, via) => markVerified(c, caller, number, via);
  return ROUTES[route](event, c);
}

exports.main = async (event) => {
  const who = identity(cloud.getWXContext() || {}); // first, before any await
  const ev = event && typeof event === 'object' ? event : {};
  const route = typeof ev.$url === 'string' ? ev.$url : '';
  try {
    return await handle(route, ev, who);
  } catch (e) {
    let info;
    let say;
    let tag;
    if (e instanceof Refusal) {
      info = e.info;
      say = e.say;
      tag = e.tag;
    } else if (isMissingCollection(e)) {
      info = access.errorInfo(9001, 'the database collection ' + COLLECTION + ' does not exist');
      info.solution = '在云开发控制台 → 数据库中创建集合 ' + COLLECTION + '（' + R.SETUP + '）';
      say = R.SAY.setup + '（需要数据库集合 ' + COLLECTION + '）';
    } else {
      info = access.errorInfo(9105, 'the cloud function failed: ' + String(e && e.message || e).slice(0, 200));
      say = R.SAY.failed;
    }
    R.log(route, info);
    const reply = R.failure(ROUTES[route] ? route : '', info, say, tag);
    return route === 'phoneNumber' ? phone.withFallback(reply) : reply;
  }
};

// For tests and other cloud functions: the settings' defaults.
exports.defaults = settings.defaults;
