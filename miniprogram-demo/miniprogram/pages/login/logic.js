// Login page logic as small plain functions: no `wx`, no `this`, no timers, so tests (and readers)
// can use them without a renderer. login.js only wires them to the page.
//
// Two audiences, two vocabularies: the user reads short sentences about what to do next (USER_TEXT);
// error codes, reasons and remedies from zhenzisms.errorInfo() go to the developer page only.

const PHONE_LENGTH = 11;
const WRONG_PHONE = '请输入正确的手机号';

/**
 * Phone number as the user types. Keeps digits only (a pasted "158 7177-0252" works) and at most 11.
 * `valid` once it is a mainland mobile number (11 digits, 1 then 3–9: what the SDK checks before
 * spending a request). `error` only when the number can no longer become valid: an unfinished
 * number is not an error, so nothing turns red while the user is still typing.
 */
function checkPhone(input) {
  const value = String(input == null ? '' : input).replace(/\D/g, '').slice(0, PHONE_LENGTH);
  const wrongStart = (value.length >= 1 && value[0] !== '1') || (value.length >= 2 && (value[1] < '3' || value[1] > '9'));
  return { value, valid: !wrongStart && value.length === PHONE_LENGTH, error: wrongStart ? WRONG_PHONE : '' };
}

/** Code as typed: digits only, at most `length`; `complete` when exactly `length` digits. */
function checkCode(input, length) {
  const value = String(input == null ? '' : input).replace(/\D/g, '').slice(0, length);
  return { value, complete: value.length === length };
}

/** 13800138000 → 138****8000: what the page shows once a code went out. */
function maskPhone(number) {
  const s = String(number || '');
  return s.length === PHONE_LENGTH ? `${s.slice(0, 3)}****${s.slice(7)}` : s;
}

// validateCode results → what the user reads, and next to which field. 'error'/'expired' are vendor
// version B's spellings; code_used and too_many_attempts are this SDK's additions.
const RESULT_TEXT = {
  ok: { field: '', text: '验证通过' },
  empty: { field: 'code', text: '请先获取验证码' },
  number_error: { field: 'phone', text: '手机号与接收验证码的号码不一致' },
  code_error: { field: 'code', text: '验证码不正确，请重新输入' },
  code_expired: { field: 'code', text: '验证码已过期，请重新获取' },
  code_used: { field: 'code', text: '验证码已失效，请重新获取' },
  too_many_attempts: { field: 'code', text: '错误次数过多，请重新获取验证码' },
  error: { field: 'code', text: '验证码不正确，请重新输入' },
  expired: { field: 'code', text: '验证码已过期，请重新获取' },
};

/** {ok, result, field, text} for a validateCode result; an unknown result is never success. */
function resultMessage(result) {
  const known = Object.prototype.hasOwnProperty.call(RESULT_TEXT, result) ? RESULT_TEXT[result] : null;
  const view = known || { field: 'form', text: '验证失败，请重新获取验证码' };
  return { ok: result === 'ok', result: String(result), field: view.field, text: view.text };
}

// SDK error kinds (errorInfo(code).kind) → what the user reads, per action, and where.
const USER_TEXT = {
  send: {
    input: { field: 'phone', text: WRONG_PHONE },
    limit: { field: 'phone', text: '该手机号今日获取验证码次数已达上限，请明天再试' },
    cooldown: { field: 'code', text: '获取太频繁，请稍后再试' },
    network: { field: 'code', text: '网络不太稳定，请检查网络后重试' },
    timeout: { field: 'code', text: '网络不太稳定，请检查网络后重试' },
    cloud: { field: 'code', text: '服务暂时不可用，请稍后再试' },
    other: { field: 'code', text: '验证码发送失败，请稍后再试' },
  },
  verify: {
    network: { field: 'form', text: '网络不太稳定，请稍后重试' },
    timeout: { field: 'form', text: '网络不太稳定，请稍后重试' },
    cloud: { field: 'form', text: '网络不太稳定，请稍后重试' },
    other: { field: 'form', text: '登录失败，请稍后再试' },
  },
};

/** {field, text} the user sees for an SDK error `info` ({code, kind, …}) during `action`. */
function userError(info, action) {
  const table = USER_TEXT[action] || USER_TEXT.verify;
  const kind = info && typeof info.kind === 'string' ? info.kind : '';
  return Object.assign({}, Object.prototype.hasOwnProperty.call(table, kind) ? table[kind] : table.other);
}

/**
 * Read a callback result `res` (wx.request-like, res.data = {code, data}) → {ok: true, data} or
 * {ok: false, info}, where `info` is errorInfo(code) (plus the reply's own text as `detail` when it
 * says more). Written defensively: a vendor-style res without `data` must not throw here either.
 */
function describeResponse(res, errorInfo) {
  const body = res && res.data && typeof res.data === 'object' ? res.data : null;
  const code = body ? Number(body.code) : NaN;
  if (body && body.code != null && body.code !== '' && code === 0) return { ok: true, data: body.data };
  // The SDK's ZhenziError first: it carries what happened this time (detail); else the table's row.
  let info = res && res.error && typeof res.error === 'object' ? res.error : null;
  if (!info && !Number.isNaN(code) && typeof errorInfo === 'function') {
    try {
      info = errorInfo(code);
    } catch (e) {
      info = null;
    }
  }
  info = Object.assign({ code: Number.isNaN(code) ? (body ? body.code : null) : code, kind: '', reason: '', solution: '' }, info);
  let detail = '';
  if (body && typeof body.data === 'string') detail = body.data;
  else if (res && res.errMsg && !/:ok$/.test(String(res.errMsg))) detail = String(res.errMsg);
  if (detail && detail !== info.reason) info.detail = detail;
  return { ok: false, info };
}

/** The SMS text for sendCode: {code} is filled in by the SDK (or by the cloud function). */
function codeMessage(codeSeconds) {
  const minutes = Math.max(1, Math.round(codeSeconds / 60));
  return `您的验证码为{code}，${minutes}分钟内有效，请勿泄露给他人。`;
}

/** A messageId for direct-mode sends, so the developer page can look them up (unique, not secret). */
function makeMessageId(now, seq) {
  return `demo${now.toString(36)}${seq.toString(36)}`;
}

/**
 * Arguments for client.sendCode(cb, options) — the object form of vendor version D. A messageId
 * only in direct mode: in cloud mode the cloud function picks the id of a code SMS itself.
 */
function sendCodeOptions(number, config, messageId) {
  const options = {
    number,
    message: codeMessage(config.codeSeconds),
    seconds: config.codeSeconds,
    length: config.codeLength,
  };
  if (messageId) options.messageId = messageId;
  return options;
}

// A tourist appid (导入项目 without an appid of your own) cannot use cloud development.
const TOURIST_APPID = 'touristappid';

/**
 * The mode the demo starts in. config.mode 'cloud' or 'direct' is taken as written; 'auto' (the
 * shipped default) picks cloud mode only where it can work: `appId` (the running mini-program's, from
 * wx.getAccountInfoSync) is your own, config.cloudEnv names an environment and wx.cloud exists.
 * Otherwise direct mode against the local sandbox, so the demo runs when first opened.
 * → {mode: 'cloud' | 'direct', reason}: why direct was chosen ('tourist', 'no-env', 'no-cloud'), or ''.
 */
function chooseMode(config, appId, hasCloud) {
  if (config.mode === 'cloud' || config.mode === 'direct') return { mode: config.mode, reason: '' };
  if (!appId || appId === TOURIST_APPID) return { mode: 'direct', reason: 'tourist' };
  if (!config.cloudEnv) return { mode: 'direct', reason: 'no-env' };
  if (!hasCloud) return { mode: 'direct', reason: 'no-cloud' };
  return { mode: 'cloud', reason: '' };
}

const WHY_DIRECT = {
  tourist: '游客 appid 不能用云开发',
  'no-env': 'config.js 未填 cloudEnv',
  'no-cloud': '基础库没有 wx.cloud',
};

/**
 * The one line the login page shows (development builds only) while it runs against the local
 * sandbox: what it is, why, and how to switch. '' when it is not on the sandbox.
 */
function sandboxBanner(mode, target, reason) {
  if (mode !== 'direct' || target === 'real') return '';
  const why = WHY_DIRECT[reason] ? `（${WHY_DIRECT[reason]}）` : '';
  return `本地沙箱 · 直连模式${why}：换成自己的 appid 并在 config.js 填写 cloudEnv 即为云函数模式`;
}

/**
 * Point the SDK client at a mode. `client` is zhenzisms.client. Returns the mode applied.
 *   cloud:  client.initCloud({name, env?})
 *   direct: client.configure({relayUrl}) then client.init(apiUrl, appId, appSecret), from the
 *           sandbox settings of config (target 'sandbox') or from config.real (target 'real').
 */
function applyMode(client, config, mode, target) {
  if (mode === 'cloud') {
    const options = { name: config.cloudFunctionName || 'zhenzisms' };
    if (config.cloudEnv) options.env = config.cloudEnv;
    client.initCloud(options);
    return 'cloud';
  }
  const account = directAccount(config, target);
  if (account.relayUrl) client.configure({ relayUrl: account.relayUrl });
  client.init(account.apiUrl, account.appId, account.appSecret);
  return 'direct';
}

/** The direct-mode account of a target: the sandbox (default) or config.real (SDK default relay). */
function directAccount(config, target) {
  if (target === 'real') {
    const real = config.real || {};
    return { target: 'real', apiUrl: real.apiUrl, appId: real.appId || '', appSecret: real.appSecret || '', relayUrl: '' };
  }
  return { target: 'sandbox', apiUrl: config.apiUrl, appId: config.appId, appSecret: config.appSecret, relayUrl: config.relayUrl };
}

/**
 * What the login cloud function answered → {ok, number, verifiedAt, via} or {ok: false, text}. Only
 * a complete 'success' signs in; anything else (not_verified, an odd reply) does not. `via` is how
 * zhenzisms says the number was proved ('sms' or 'phone'), '' when it did not say.
 */
function loginOutcome(result) {
  if (result && result.code === 'success' && typeof result.number === 'string' && result.number && result.verifiedAt != null) {
    return { ok: true, number: result.number, verifiedAt: result.verifiedAt, via: viaText(result.via) ? result.via : '' };
  }
  return { ok: false, field: 'form', text: '登录未完成，请重新获取验证码' };
}

// How a number was proved, in the user's words (the signed-in view) and the developer's.
const VIA_TEXT = { phone: '已通过微信手机号快速验证', sms: '已通过短信验证码验证' };

/** The signed-in view's line for `via`, '' for none. */
function viaText(via) {
  return Object.prototype.hasOwnProperty.call(VIA_TEXT, via) ? VIA_TEXT[via] : '';
}

// ---- one tap (WeChat's 手机号快速验证): first choice in cloud mode, SMS the fallback ----

/** One tap needs cloud mode: the zhenzisms cloud function exchanges WeChat's code. */
function oneTapReady(mode) {
  return mode === 'cloud';
}

/**
 * The one line shown above the SMS form when the page moved there by itself: why one tap did not
 * work, for a tap that could not start (`mode` not cloud: the sandbox, with `reason`).
 */
function oneTapUnavailable(reason) {
  const why = WHY_DIRECT[reason] ? `（${WHY_DIRECT[reason]}）` : '';
  return `本地沙箱不能用微信手机号快捷登录${why}，请用短信验证码登录`;
}

const FALLBACK_LINE = {
  user_deny: '你没有授权手机号，请用短信验证码登录',
  no_permission: '本小程序暂不能用微信手机号快捷登录，请用短信验证码登录',
  not_available: '本小程序暂不能用微信手机号快捷登录，请用短信验证码登录',
  no_code: '微信版本较低，请用短信验证码登录',
};
const FALLBACK_OTHER = '微信手机号快捷登录没有成功，请用短信验证码登录';

/**
 * client.verifyPhoneNumber's answer → {ok: true, number} (a verified number: sign in with it),
 * {ok: false, fallback: true, line} (open the SMS form with that one line), or {ok: false, field,
 * text} (an error where SMS would not help either). Never success without an 11-digit number.
 */
function phoneOutcome(answer) {
  const a = answer && typeof answer === 'object' ? answer : {};
  if (a.code === 'success' && typeof a.number === 'string' && /^1[3-9]\d{9}$/.test(a.number)) return { ok: true, number: a.number };
  if (a.fallback === 'sms') {
    const line = Object.prototype.hasOwnProperty.call(FALLBACK_LINE, a.code) ? FALLBACK_LINE[a.code] : FALLBACK_OTHER;
    return { ok: false, fallback: true, line };
  }
  return { ok: false, fallback: false, field: 'form', text: '登录失败，请稍后再试' };
}

/** Whether the login button is enabled. */
function canLogin(state) {
  return !!(state.phoneValid && state.codeComplete && !state.busy);
}

module.exports = {
  PHONE_LENGTH,
  WRONG_PHONE,
  checkPhone,
  checkCode,
  maskPhone,
  resultMessage,
  userError,
  describeResponse,
  codeMessage,
  makeMessageId,
  sendCodeOptions,
  TOURIST_APPID,
  chooseMode,
  sandboxBanner,
  applyMode,
  directAccount,
  loginOutcome,
  viaText,
  oneTapReady,
  oneTapUnavailable,
  phoneOutcome,
  canLogin,
};
