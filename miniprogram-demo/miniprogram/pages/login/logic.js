// Login page logic as small plain functions: no `wx`, no `this`, no timers, so tests (and readers)
// can use them without a renderer. login.js only wires them to the page.

const PHONE_LENGTH = 11;

/**
 * Phone number as the user types. Keeps digits only (pasted "158 7177-0252" works) and at most
 * 11 of them; `valid` once it is a mainland mobile number — 11 digits, 1 then 3–9, the rule the
 * SDK checks before spending a request (it would answer 100 otherwise); `hint` says what is wrong.
 */
function checkPhone(input) {
  const value = String(input == null ? '' : input).replace(/\D/g, '').slice(0, PHONE_LENGTH);
  if (value === '') return { value, valid: false, hint: '' };
  if (value[0] !== '1') return { value, valid: false, hint: '手机号应以 1 开头' };
  if (value.length > 1 && (value[1] < '3' || value[1] > '9')) {
    return { value, valid: false, hint: '手机号第二位应为 3–9' };
  }
  if (value.length < PHONE_LENGTH) {
    return { value, valid: false, hint: `还差 ${PHONE_LENGTH - value.length} 位` };
  }
  return { value, valid: true, hint: '手机号格式正确' };
}

/** Code as typed: digits only, at most `length`; `complete` when exactly `length` digits. */
function checkCode(input, length) {
  const value = String(input == null ? '' : input).replace(/\D/g, '').slice(0, length);
  return { value, complete: value.length === length };
}

// validateCode results → what the user reads. The first five are the vendor's strings (versions C–E);
// code_used and too_many_attempts are new in this SDK; 'error'/'expired' are vendor version B's.
const RESULT_TEXT = {
  ok: '验证成功，已登录',
  empty: '还没有获取验证码，请先点击“获取验证码”',
  number_error: '手机号与接收验证码的号码不一致',
  code_error: '验证码不正确，请检查后重新输入',
  code_expired: '验证码已过期，请重新获取',
  code_used: '验证码已使用过，请重新获取',
  too_many_attempts: '错误次数过多，该验证码已失效，请重新获取',
  error: '验证码不正确，请检查后重新输入',
  expired: '验证码已过期，请重新获取',
};

/** {ok, text} for a validateCode result string; unknown strings are shown, never hidden. */
function resultMessage(result) {
  if (Object.prototype.hasOwnProperty.call(RESULT_TEXT, result)) {
    return { ok: result === 'ok', result, text: RESULT_TEXT[result] };
  }
  return { ok: false, result: String(result), text: `验证失败（${String(result)}）` };
}

/**
 * What to show for an error, from the object `zhenzisms.errorInfo(code)` returns
 * ({code, kind, reason, message, solution, retriable}). `fallback` (the reply's own `data` text) is
 * used when the SDK knows nothing about the code.
 */
function errorDisplay(info, fallback) {
  const known = info && typeof info === 'object';
  const code = known && info.code != null ? info.code : null;
  const reason = (known && info.reason) || fallback || '未知错误';
  return {
    code,
    kind: (known && info.kind) || '',
    title: code == null ? reason : `${reason}（错误码 ${code}）`,
    // The reply's own text, when it says more than the table's reason (e.g. a code the SDK
    // does not know, for which errorInfo only has a generic reason).
    detail: fallback && fallback !== reason ? String(fallback) : '',
    solution: (known && info.solution) || '',
    retry: known && info.retriable ? '可以稍后重试' : '',
  };
}

/**
 * Read a callback result `res` (wx.request-like, res.data = {code, data}).
 * → {ok: true, data} or {ok: false, error: errorDisplay(...)}. `errorInfo` is zhenzisms.errorInfo.
 * Written defensively: a vendor-style res without `data` must not throw here either.
 */
function describeResponse(res, errorInfo) {
  const body = res && res.data && typeof res.data === 'object' ? res.data : null;
  const code = body ? Number(body.code) : NaN;
  if (code === 0) return { ok: true, data: body.data };
  let info = null;
  if (!Number.isNaN(code) && typeof errorInfo === 'function') {
    try {
      info = errorInfo(code);
    } catch (e) {
      info = null;
    }
  }
  let fallback = '';
  if (body && typeof body.data === 'string') fallback = body.data;
  else if (res && res.errMsg) fallback = String(res.errMsg);
  if (info && info.code == null && !Number.isNaN(code)) info = Object.assign({}, info, { code });
  if (!info && !Number.isNaN(code)) info = { code };
  return { ok: false, error: errorDisplay(info, fallback) };
}

/** The SMS text for sendCode: {code} is filled in by the SDK. */
function codeMessage(codeSeconds) {
  const minutes = Math.max(1, Math.round(codeSeconds / 60));
  return `您的验证码为{code}，${minutes}分钟内有效，请勿泄露给他人。`;
}

/**
 * A messageId for the demo's sends, so the tools page can look them up. Unique per device and
 * millisecond plus a counter; no randomness needed (the vendor only asks for uniqueness).
 */
function makeMessageId(now, seq) {
  return `demo${now.toString(36)}${seq.toString(36)}`;
}

/** Arguments for client.sendCode(cb, options) — the object form of vendor version D. */
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

/**
 * Point the SDK client at the chosen mode. `client` is zhenzisms.client. Returns the mode applied.
 *   direct: client.configure({relayUrl}) then client.init(apiUrl, appId, appSecret)
 *   cloud:  client.initCloud({name, env?})
 */
function applyMode(client, config, mode) {
  if (mode === 'cloud') {
    const options = { name: config.cloudFunctionName || 'zhenzisms' };
    if (config.cloudEnv) options.env = config.cloudEnv;
    client.initCloud(options);
    return 'cloud';
  }
  if (config.relayUrl) client.configure({ relayUrl: config.relayUrl });
  client.init(config.apiUrl, config.appId, config.appSecret);
  return 'direct';
}

const MODE_HINT = {
  direct: '直连模式：appSecret 在小程序包内，仅用于开发和兼容旧代码',
  cloud: '云函数模式：appSecret 只在云函数里，验证码不下发到手机（推荐）',
};

function modeHint(mode) {
  return MODE_HINT[mode] || '';
}

module.exports = {
  PHONE_LENGTH,
  checkPhone,
  checkCode,
  resultMessage,
  errorDisplay,
  describeResponse,
  codeMessage,
  makeMessageId,
  sendCodeOptions,
  applyMode,
  modeHint,
};
