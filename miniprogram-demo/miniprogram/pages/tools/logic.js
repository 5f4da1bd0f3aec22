// Developer page logic (mode, settings, balance, lookup, error table) as plain functions.

/** Balance reply data (a number of remaining messages; tolerate a numeric string). */
function balanceText(data) {
  const n = Number(data);
  if (data === '' || data == null || !Number.isFinite(n)) return `余额：${String(data)}`;
  return `剩余短信：${n} 条`;
}

/**
 * messageId as typed: trimmed; `valid` when it is what the SDK accepts (1–64 characters of
 * A-Z a-z 0-9 - _ . :), so a typo is flagged here instead of costing a request.
 */
function checkMessageId(input) {
  const value = String(input == null ? '' : input).trim();
  return { value, valid: /^[A-Za-z0-9_.:-]{1,64}$/.test(value) };
}

const STATUS_TEXT = { success: '发送成功' };

/**
 * findSmsByMessageId reply data → {found, rows: [{label, value}]}. The vendor answers `{}` when there
 * is no such message; fields it did not send are left out rather than shown empty.
 */
function recordView(data) {
  if (!data || typeof data !== 'object' || Object.keys(data).length === 0) {
    return { found: false, rows: [] };
  }
  const fields = [
    ['toNumber', '手机号'],
    ['message', '短信内容'],
    ['status', '状态'],
    ['createTime', '发送时间'],
    ['appName', '应用'],
    ['messageId', 'messageId'],
  ];
  const rows = [];
  fields.forEach(([key, label]) => {
    if (data[key] == null || data[key] === '') return;
    let value = String(data[key]);
    if (key === 'status') value = STATUS_TEXT[value] ? `${STATUS_TEXT[value]}（${value}）` : value;
    rows.push({ label, value });
  });
  return { found: true, rows };
}

const ROUTE_OFF = '云函数默认不开放这项查询：任何用户都能调用云函数，开放后就能查你的余额、读短信记录。'
  + '需要时由部署者在云函数的环境变量里开启（例如 ZHENZI_COMPAT=vendor）；即使开启，验证码短信的内容也不会返回。';

/**
 * In cloud mode, balance and findSmsByMessageId answer only when the deployer opted in. The refusal
 * is recognised by its shape (a code that is not one of Zhenzi's numbers, or a kind/text saying the
 * route is off), so the page explains it instead of showing a raw error. '' when not a refusal.
 */
function routeRefusal(mode, res, info) {
  if (mode !== 'cloud') return '';
  const body = res && res.data && typeof res.data === 'object' ? res.data : {};
  const numeric = body.code !== '' && body.code != null && Number.isFinite(Number(body.code));
  const kind = info && typeof info.kind === 'string' ? info.kind : '';
  const text = [body.data, body.msg, info && info.detail, info && info.reason].filter((t) => typeof t === 'string').join(' ');
  if (!numeric && body.code != null) return ROUTE_OFF;
  if (/^(disabled|forbidden|denied|off|route|route_off|route_disabled|not_enabled|not_allowed|opt_?in|compat)$/.test(kind)) return ROUTE_OFF;
  // zhenzisms answers a route the deployer left off with 9001 and the detail "route 'balance' is off: …".
  if (/route '\w+' is off|unknown \$url|未开启|未启用|已关闭|默认关闭|未开放|not enabled|not allowed|disabled|opt[- ]?in|ZHENZI_COMPAT/i.test(text)) return ROUTE_OFF;
  return '';
}

/** What the settings card shows for the current mode and target (never the appSecret itself). */
function settingsRows(config, mode, account) {
  if (mode === 'cloud') {
    return [
      { label: '云函数', value: config.cloudFunctionName || 'zhenzisms' },
      { label: '登录云函数', value: config.loginFunctionName || 'login' },
      { label: '云环境', value: config.cloudEnv || '默认环境' },
      { label: 'appSecret', value: '在云函数环境变量 ZHENZI_APP_SECRET 中' },
    ];
  }
  return [
    { label: '目标', value: account.target === 'real' ? '真实账号（会真的发短信）' : '本地沙箱（不发真短信）' },
    { label: '请求地址', value: account.relayUrl || 'https://smsdeveloper.zhenzikj.com（SDK 默认中转）' },
    { label: 'apiUrl', value: account.apiUrl || '' },
    { label: 'appId', value: account.appId || '（未填写：config.js 的 real.appId）' },
    { label: 'appSecret', value: account.appSecret ? '已填写（在小程序包内，仅限开发）' : '（未填写）' },
  ];
}

const MODE_HINT = {
  direct: '直连模式：appSecret 在小程序包内，任何人解包都能读到。只用于开发和兼容旧代码。',
  cloud: '云函数模式（推荐）：appSecret 只在云函数里，验证码在云端生成和校验，不下发到手机。',
};

function modeHint(mode) {
  return MODE_HINT[mode] || '';
}

/** zhenzisms.errorTable() → rows for the page. */
function errorRows(table) {
  return (Array.isArray(table) ? table : []).map((e) => ({
    code: String(e.code),
    kind: e.kind || '',
    reason: e.reason || '',
    solution: e.solution || '',
  }));
}

/** An SDK error for developers: reason with its code, the remedy, and the server's own text. */
function errorView(info) {
  const i = info || {};
  const reason = i.reason || (i.detail ? String(i.detail) : '未知错误');
  return {
    title: i.code != null && i.code !== '' ? `${reason}（错误码 ${i.code}）` : reason,
    solution: i.solution || '',
    detail: i.detail && i.detail !== reason ? String(i.detail) : '',
  };
}

// zhenzisms's `via` → the path that verified the number, for developers.
const VIA = { phone: '微信手机号快速验证（via: phone）', sms: '短信验证码（via: sms）' };

/**
 * The last sign-in (app.globalData.lastSignIn: {number (masked), via, at}) → rows for the page, or
 * [] before any. `via` is what zhenzisms's checkVerified said, through the login function.
 */
function signInRows(last) {
  if (!last || typeof last !== 'object' || !last.number) return [];
  return [
    { label: '号码', value: String(last.number) },
    { label: '验证方式', value: VIA[last.via] || '未说明（via 为空：直连模式或旧的 zhenzisms）' },
  ];
}

module.exports = { signInRows, errorView, balanceText, checkMessageId, recordView, routeRefusal, ROUTE_OFF, settingsRows, modeHint, errorRows };
