// @ts-check
// zhenzisms_replies.js — what the cloud function answers and logs. Replies keep the vendor's
// shapes ({code, msg} / {code, data} / {code, data, body}) plus `error`, the table's entry; the
// words a page shows (`msg` / `data`) are a short Chinese sentence saying why and what to do.
// Logs (云函数日志) get the detail: provider texts and request ids go there, never to the user.
// Event text is escaped and cut before it is logged, so no page can forge or flood log lines.
'use strict';

// Where the operator reads what to do (the function's zip holds no guide).
const GUIDE = 'https://github.com/zhenzisms-wasm/zhenzisms-wasm/blob/main/docs/guide.md';
const SETUP = '集合 sms-record 的权限须为「仅管理端可读写」或自定义规则 {"read": false, "write": false}';

// Short sentences for the refusals the function decides, by what refused.
const SAY = {
  cooldown: (s) => '发送太频繁，请' + (s > 0 ? ' ' + s + ' 秒后' : '稍后') + '再试。',
  number: '这个号码今天接收验证码的次数已达上限，请明天再试。',
  caller: '你今天获取验证码的次数已达上限，请明天再试。',
  pair: '你今天给这个号码获取验证码的次数已达上限，请明天再试。',
  ipHour: '当前网络获取验证码过于频繁，请稍后再试。',
  ipDay: '当前网络今天获取验证码的次数已达上限，请明天再试。',
  budget: '短信服务今天的发送量已达上限，请明天再试。',
  checks: '校验太频繁，请稍后再试。',
  route: '今天的调用次数已达上限，请明天再试。',
  phone: '手机号验证太频繁，请稍后再试或用短信验证码验证。',
  busy: '正在发送验证码，请稍候再试。',
  badNumber: '手机号码格式不正确，请检查后重试。',
  badInput: '请求参数不正确，请检查后重试。',
  config: '短信服务配置有误，请联系管理员。',
  setup: '短信服务尚未完成设置，请联系管理员。',
  disabled: '这个功能未开启，请联系管理员。',
  noUser: '请在小程序内使用（没有用户身份）。',
  failed: '服务暂时不可用，请稍后重试。',
};

// Text from outside (the event, a provider) as one log-safe piece: escaped, at most `max` chars.
function clip(v, max) {
  const s = String(v === undefined ? '' : v);
  const cut = s.length > (max || 120) ? s.slice(0, max || 120) + '…' : s;
  // JSON escapes C0 controls and quotes; the line breaks it leaves (C1, U+2028/9) are escaped too.
  return JSON.stringify(cut).slice(1, -1).replace(/[\u0080-\u009f\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

function log(route, info) {
  console.error('[zhenzisms] ' + (clip(route, 40) || '$url?') + ': ' + info.code + ' ' + info.reason
    + (info.detail ? ' (' + clip(info.detail, 300) + ')' : '') + ' — ' + info.solution);
}

const warned = new Set();
// A warning for the operator, once per function instance and text.
function warnOnce(text) {
  if (warned.has(text)) return;
  warned.add(text);
  console.warn('[zhenzisms] ' + text);
}

// The error as a page gets it: a provider's own text (and a request id) stays in the log.
function forPage(info) {
  const out = Object.assign({}, info);
  const ours = out.kind === 'input' || out.kind === 'config' || out.kind === 'cooldown' || out.decided;
  if (out.detail && (out.remote || !ours)) delete out.detail;
  delete out.decided;
  delete out.remote;
  delete out.unsure;
  return out;
}

// Zhenzi routes: v2 pages read result.code / result.data, v1 pages result.body.code.
function zhenziReply(v) {
  const r = { code: v.code, data: v.data, body: { code: v.code, data: v.data } };
  if (v.error) r.error = forPage(v.error);
  return r;
}

const ZHENZI_ROUTES = ['send', 'balance', 'findSmsByMessageId'];

/**
 * A failure reply for `route`: `info` the table's entry, `say` the sentence for the page (the
 * table's reason when none), `tag` the vendor code word when it is not the route's usual one.
 */
function failure(route, info, say, tag) {
  const words = say || info.reason;
  if (!route || ZHENZI_ROUTES.indexOf(route) >= 0) return zhenziReply({ code: info.code, data: words, error: info });
  let code = tag || 'error';
  if (!tag && (route === 'sendCode' || route === 'createCode')) code = info.code === 9201 ? 'intervalError' : 'smsError';
  const r = { code: code, msg: words, data: words, error: forPage(info) };
  if (route === 'sendCode') delete r.data; // v1 sendCode answered {code, msg}
  return r;
}

module.exports = { GUIDE, SETUP, SAY, clip, log, warnOnce, forPage, zhenziReply, failure, ZHENZI_ROUTES };
