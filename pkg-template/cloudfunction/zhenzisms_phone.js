// @ts-check
// zhenzisms_phone.js — the `phoneNumber` route: WeChat's 手机号快速验证 / 实时验证 button hands the
// page a one-time `code` (e.detail.code, base library ≥ 2.21.2); the page sends {$url:
// 'phoneNumber', code} here; this file exchanges it by 云调用
// (cloud.openapi.phonenumber.getPhoneNumber, allowed by config.json beside this file) and checks
// what WeChat says before the number counts as verified:
//   - watermark.appid is the caller's mini-program (getWXContext().APPID);
//   - watermark.timestamp is recent: a code lives 5 minutes (a minute of clock skew allowed);
//   - the number passes the core's number rule (mainland mobile, canonical 11 digits), as
//     sendCode's does.
// Then index.js's markVerified(caller, number, 'phone'): the same record, token and checkVerified
// as a validated SMS code. Every failure is a row of the one error table (94xx, src/errors.rs),
// and the page is told `fallback: 'sms'` wherever an SMS code can still do it. WeChat's errmsg
// (with its rid) goes to the log, escaped; the page gets the errcode only.
//
// Each success costs the operator money (WeChat charges per success), so successes are metered
// per caller (ZHENZI_PHONE_HOURLY_CAP): a slot is claimed before the exchange and given back when
// WeChat refused (nothing was charged); a timeout or a refused watermark keeps it (WeChat may
// have charged).
'use strict';

const R = require('./zhenzisms_replies.js');

const LIFETIME_MS = 5 * 60 * 1000; // WeChat: a code works once, for 5 minutes
const SKEW_MS = 60 * 1000; // WeChat's clock and the function's may differ a little
// The button's code as WeChat issues it (hex in the docs' example): printable ASCII, bounded.
const CODE = /^[\x21-\x7e]{1,256}$/;

// WeChat's errcode (or the platform's, for 云调用 itself) → [the table's row, the page's code word].
// 40013 (invalid appid) and 48001 (api unauthorized) are how an account that may not use the API
// is expected to be refused: inferred, not observed (docs/guide.md §10 says so).
const WECHAT = {
  40029: [9401, 'invalid_code'],
  45011: [9402, 'quota'],
  '-1': [9403, 'busy'],
  '-604101': [9404, 'no_permission'],
  40013: [9405, 'not_available'],
  48001: [9405, 'not_available'],
};

// What the user reads (short, with the way on: the SMS code).
const SAY = {
  noCode: '没有拿到手机号授权，请用短信验证码验证。',
  badInput: '请求参数不正确，请用短信验证码验证。',
  9401: '手机号验证已失效，请重试或用短信验证码验证。',
  9402: '手机号验证繁忙，请稍后再试或用短信验证码验证。',
  9403: '微信系统繁忙，请稍后再试或用短信验证码验证。',
  9404: '暂时无法使用微信手机号验证，请用短信验证码验证。',
  9405: '本小程序暂不支持微信手机号验证，请用短信验证码验证。',
  9406: '手机号授权无效，请重试或用短信验证码验证。',
  9407: '手机号授权已过时，请重试或用短信验证码验证。',
  9408: '手机号验证失败，请用短信验证码验证。',
  timeout: '手机号验证超时，请重试或用短信验证码验证。',
  notMainland: '这个微信绑定的不是中国大陆手机号，请用短信验证其他号码。',
  busy: '正在验证，请稍候再试。',
};

/**
 * The route. `h`: what index.js lends it — refuse(code, detail, say, tag), useLimits(c, items,
 * what, uses, busySay) → release(), phoneItem(c) (the meter; its refusal says R.SAY.phone),
 * markVerified(c, caller, number, via), normalizeNumber(raw), outcomeTexts(), probe(c).
 * @param {any} event @param {any} c @param {any} cloud the wx-server-sdk @param {any} h
 */
async function phoneNumber(event, c, cloud, h) {
  const code = codeOf(event, h);
  if (!c.appid) throw h.refuse(9406, 'the call has no APPID in its context: the watermark cannot be checked', SAY[9406], 'other_app');
  const [release] = await Promise.all([h.useLimits(c, [h.phoneItem(c)], 'phoneNumber', null, SAY.busy), h.probe(c)]);
  const got = await exchange(cloud, code, c.s.budgetMs);
  if (got.err) {
    // WeChat refused: nothing was charged, so the use is given back, except for a code WeChat
    // calls invalid (forged, used, expired): those count, so a page cannot flood WeChat with
    // forged codes and spend the mini-program's minute quota (45011) for every user.
    if (!got.timeout && got.err.errcode !== 40029) await release();
    throw refusal(got.err, h);
  }
  const number = checked(got.info, c, h);
  const verified = await h.markVerified(c, c.caller, number, 'phone');
  const ok = h.outcomeTexts().success;
  return { code: 'success', msg: ok, data: ok, number: number, verified: verified };
}

// The event's code: a bounded text, or a typed refusal (an object, an array, a number…).
function codeOf(event, h) {
  const v = event.code;
  if (v === undefined || v === null || v === '') throw h.refuse(100, 'code is missing (the button event had no e.detail.code: base library < 2.21.2, or a deny)', SAY.noCode, 'no_code');
  if (typeof v !== 'string') throw h.refuse(100, 'code must be text', SAY.badInput, 'error');
  if (!CODE.test(v)) throw h.refuse(100, 'code is not a WeChat phone-number code (1 to 256 printable ASCII characters)', SAY.badInput, 'error');
  return v;
}

// One 云调用, within `ms`: → {info} (phoneInfo) | {err: {errcode, errmsg}, timeout?}.
function exchange(cloud, code, ms) {
  let timer = null;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ err: { errcode: 'timeout', errmsg: 'no answer within ' + ms + ' ms' }, timeout: true }), ms);
  });
  const call = Promise.resolve()
    .then(() => cloud.openapi.phonenumber.getPhoneNumber({ code: code }))
    .then((r) => (r && r.phoneInfo && typeof r.phoneInfo === 'object' ? { info: r.phoneInfo } : { err: { errcode: 'reply', errmsg: 'no phoneInfo in the answer' } }),
      (e) => ({ err: { errcode: e && e.errCode !== undefined ? e.errCode : 'threw', errmsg: String(e && (e.errMsg || e.message) || e) } }));
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

// WeChat's refusal as the table's row. Its errmsg (and rid) is logged escaped, never answered.
function refusal(err, h) {
  console.error('[zhenzisms] phoneNumber: WeChat answered errcode ' + R.clip(err.errcode, 20) + ': ' + R.clip(err.errmsg, 200));
  if (err.errcode === 'timeout') {
    const late = h.refuse(9101, 'phonenumber.getPhoneNumber: ' + err.errmsg, SAY.timeout, 'timeout');
    late.info.solution = '让用户重试，或改用短信验证码；持续出现时调大 ZHENZI_TIMEOUT_MS（须小于云函数超时时间）';
    return late;
  }
  const row = WECHAT[String(err.errcode)] || [9408, 'wechat_error'];
  const said = typeof err.errcode === 'number' ? 'WeChat errcode ' + err.errcode : 'the exchange failed (' + R.clip(err.errcode, 20) + ')';
  return h.refuse(row[0], said, SAY[row[0]], row[1]);
}

// The watermark and the number: → the canonical number, or a typed refusal.
function checked(info, c, h) {
  const mark = info.watermark && typeof info.watermark === 'object' ? info.watermark : {};
  if (mark.appid !== c.appid) throw h.refuse(9406, 'the watermark names another mini-program', SAY[9406], 'other_app');
  const ts = typeof mark.timestamp === 'number' ? mark.timestamp * 1000 : NaN;
  const now = Date.now();
  // Written to fail closed: NaN makes both comparisons false.
  if (!(now - ts <= LIFETIME_MS + SKEW_MS && ts - now <= SKEW_MS)) {
    throw h.refuse(9407, 'the watermark is ' + (isFinite(ts) ? Math.round((now - ts) / 1000) + ' s old' : 'missing its timestamp'), SAY[9407], 'stale_code');
  }
  const cc = info.countryCode;
  if (cc !== undefined && cc !== null && String(cc) !== '86') throw h.refuse(100, 'the number is not a mainland number (country code ' + R.clip(cc, 8) + ')', SAY.notMainland, 'bad_number');
  const r = h.normalizeNumber(typeof info.phoneNumber === 'string' ? info.phoneNumber : '');
  if (r.err) throw h.refuse(100, 'the number WeChat gave is not a mainland mobile number', SAY.notMainland, 'bad_number');
  return r.ok;
}

// A failure of this route as the page gets it: `fallback: 'sms'` unless SMS cannot work either
// (9001: the function's own configuration, no user, no database collection).
function withFallback(reply) {
  if (!reply.error || reply.error.code !== 9001) reply.fallback = 'sms';
  return reply;
}

module.exports = { phoneNumber: phoneNumber, withFallback: withFallback, WECHAT: WECHAT, LIFETIME_MS: LIFETIME_MS, SKEW_MS: SKEW_MS };
