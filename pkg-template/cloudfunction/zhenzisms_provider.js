// @ts-check
// zhenzisms_provider.js — which SMS service the cloud function's sendCode uses, from its
// environment variables. The code machinery (generation, hashed storage, cooldowns, caps,
// attempts) stays in index.js; a provider only delivers one code to one number in time.
//
//   const provider = fromEnv(process.env);   // per invocation: temporary keys rotate
//   provider.problems                        // ['TENCENT_SMS_SIGN_NAME is not set…', …]: refuse to start
//   await provider.sendCode({ number, code, minutes, budgetMs, now? })   // Tencent: → {ok: true} | {err: <table entry>}
//   (`now`: a clock in ms for the signature, default Date.now; budgetMs default 2500: every
//   request of the call fits in it, under CloudBase's 3 s function timeout)
//
// SMS_PROVIDER=zhenzi (default): the code goes out with the page's message or template through the
// function's own Zhenzi call (zhenzisms_sms.js); zhenzisms_settings.js checks ZHENZI_* variables.
// SMS_PROVIDER=tencent:
//   TENCENT_SMS_SDK_APP_ID     the SmsSdkAppId (digits, e.g. 1400006666)
//   TENCENT_SMS_SIGN_NAME      the approved signature's TEXT (not its numeric ID)
//   TENCENT_SMS_TEMPLATE_ID    a verification template: {1} = the code, optional {2} = minutes
//   TENCENT_SMS_REGION         default ap-guangzhou
//   TENCENT_SMS_ENDPOINT       default https://sms.tencentcloudapi.com (plain http: loopback only)
//   TENCENT_SECRET_ID / TENCENT_SECRET_KEY when set, else the runtime's temporary
//   TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY / TENCENTCLOUD_SESSIONTOKEN
//   TENCENT_SMS_TEMPLATE_PARAMS  optional: 1 or 2 variables; unset, a refused count is retried once
'use strict';

// The SDK beside the function, through the function's one adaptor to it.
var sdk = require('./zhenzisms_core_access.js');

var DEFAULT_BUDGET_MS = 2500;
var MAX_TENCENT_CODE_DIGITS = 6; // verification templates: 0–6 digits per variable
var TENCENT_MIN_COOLDOWN_S = 30; // Tencent: one message per number every 30 s
// templateId → the variable count Tencent accepted, for templates whose count is not declared
// (kept while the function instance is warm).
/** @type {Object<string, number>} */
var learnt = {};

/** @param {Object<string, string | undefined>} env @param {string} name */
function read(env, name) {
  var v = env[name];
  return v === undefined ? '' : String(v).trim();
}

/** A table entry for `code` with `detail`, as plain data. */
function entry(code, detail) {
  return sdk.errorInfo(code, detail);
}

/** Plain data of a ZhenziError (or anything thrown). */
function plain(e) {
  if (!(e instanceof sdk.ZhenziError)) return entry(9100, String(e && e.message || e));
  /** @type {any} */
  var out = { code: e.code, kind: e.kind, reason: e.reason, message: e.message, solution: e.solution, retriable: e.retriable };
  // ZhenziError's message is "message: detail": keep the table's message.
  if (e.detail) {
    out.detail = e.detail;
    out.message = e.message.slice(0, e.message.length - e.detail.length - 2);
  }
  return out;
}

// The credentials to sign with, read at send time (the runtime's temporary keys rotate).
function tencentCredentials(env) {
  var id = read(env, 'TENCENT_SECRET_ID');
  var key = read(env, 'TENCENT_SECRET_KEY');
  if (id || key) return { secretId: id, secretKey: key, sessionToken: '', source: 'TENCENT_SECRET_ID/TENCENT_SECRET_KEY' };
  return {
    secretId: read(env, 'TENCENTCLOUD_SECRETID'),
    secretKey: read(env, 'TENCENTCLOUD_SECRETKEY'),
    sessionToken: read(env, 'TENCENTCLOUD_SESSIONTOKEN'),
    source: 'TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY'
  };
}

function tencentProvider(env) {
  var problems = [];
  var appId = read(env, 'TENCENT_SMS_SDK_APP_ID');
  var signName = read(env, 'TENCENT_SMS_SIGN_NAME');
  var templateId = read(env, 'TENCENT_SMS_TEMPLATE_ID');
  var declared = read(env, 'TENCENT_SMS_TEMPLATE_PARAMS');
  if (!/^\d+$/.test(appId)) problems.push('TENCENT_SMS_SDK_APP_ID must be the SmsSdkAppId from the SMS console (digits, e.g. 1400006666)' + (appId ? '' : ': it is not set'));
  if (!signName) problems.push('TENCENT_SMS_SIGN_NAME is not set: the approved signature\'s text, e.g. 腾讯云');
  else if (/^\d+$/.test(signName)) problems.push('TENCENT_SMS_SIGN_NAME is a number: it must be the signature\'s TEXT (签名内容), not its ID');
  if (!/^\d+$/.test(templateId)) problems.push('TENCENT_SMS_TEMPLATE_ID must be a verification template\'s ID (digits)' + (templateId ? '' : ': it is not set'));
  if (declared && declared !== '1' && declared !== '2') problems.push('TENCENT_SMS_TEMPLATE_PARAMS must be 1 (the code) or 2 (the code and the minutes)');
  var creds = tencentCredentials(env);
  if (!creds.secretId || !creds.secretKey) {
    problems.push(creds.source.indexOf('TENCENTCLOUD') === 0
      ? 'no Tencent Cloud credentials: set TENCENT_SECRET_ID and TENCENT_SECRET_KEY, or run where the runtime provides TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY'
      : 'TENCENT_SECRET_ID and TENCENT_SECRET_KEY must be set together');
  }
  var length = Number(read(env, 'ZHENZI_CODE_LENGTH') || 6);
  if (length > MAX_TENCENT_CODE_DIGITS) {
    problems.push('ZHENZI_CODE_LENGTH=' + length + ' cannot work with Tencent: verification templates accept at most 6 digits per variable (InvalidParameterValue.TemplateParameterFormatError); use 4-6');
  }
  var cooldown = read(env, 'ZHENZI_COOLDOWN_SECONDS');
  if (cooldown && Number(cooldown) < TENCENT_MIN_COOLDOWN_S) {
    problems.push('ZHENZI_COOLDOWN_SECONDS=' + cooldown + ' is below Tencent\'s one message per number every 30 s (LimitExceeded.PhoneNumberThirtySecondLimit); use 30 or more');
  }
  function attempt(a, variables, deadline) {
    var c = tencentCredentials(env);
    var client = new sdk.TencentSmsClient({
      secretId: c.secretId,
      secretKey: c.secretKey,
      sessionToken: c.sessionToken,
      sdkAppId: appId,
      signName: signName,
      region: read(env, 'TENCENT_SMS_REGION') || undefined,
      endpoint: read(env, 'TENCENT_SMS_ENDPOINT') || undefined,
      now: a.now
    });
    var params = [String(a.code), String(Math.ceil(Number(a.minutes) || 5))].slice(0, variables);
    var left = Math.max(1, deadline - Date.now());
    return client.send({ number: a.number, templateId: templateId, templateParams: params, verification: true }, { timeoutMs: left }).then(function (r) {
      learnt[templateId] = variables; // Tencent took the count
      var s = r.statuses[0];
      if (!s) return { err: entry(9103, 'SendStatusSet is empty') };
      return s.ok ? { ok: true } : { err: plain(s.error), remote: true };
    }, function (e) {
      var err = plain(e);
      // Refused for the count, so nothing went out: once more with one variable, in the budget.
      if (err.code === 9326 && !declared && variables === 2 && deadline - Date.now() > 200) return attempt(a, 1, deadline);
      // `remote`: the detail may hold Tencent's own words and its RequestId (for the log only).
      return { err: err, remote: true };
    });
  }

  return {
    name: 'tencent',
    problems: problems,
    sendCode: function (/** @type {any} */ a) {
      var deadline = Date.now() + (a.budgetMs || DEFAULT_BUDGET_MS);
      return sdk.ready().then(function () {
        if (problems.length) return { err: entry(9001, problems.join('; ')) };
        if (String(a.code).length > MAX_TENCENT_CODE_DIGITS) return { err: entry(9321, 'a ' + String(a.code).length + '-digit code: Tencent verification templates take at most 6') };
        return attempt(a, declared ? Number(declared) : learnt[templateId] || 2, deadline);
      });
    }
  };
}

/**
 * The provider SMS_PROVIDER names, configured from `env`: 'tencent' (with `sendCode`), or
 * 'zhenzi' by default, whose codes go out through the cloud function's own Zhenzi call
 * (zhenzisms_sms.js) and whose variables zhenzisms_settings.js checks.
 * @param {Object<string, string | undefined>} env
 */
function fromEnv(env) {
  var name = read(env, 'SMS_PROVIDER').toLowerCase() || 'zhenzi';
  if (name === 'tencent') return tencentProvider(env);
  return { name: 'zhenzi', problems: name === 'zhenzi' ? [] : ['SMS_PROVIDER must be zhenzi or tencent, not ' + JSON.stringify(name)] };
}

module.exports = { fromEnv: fromEnv };
