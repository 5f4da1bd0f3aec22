// @ts-check
// zhenzisms_provider.js — which SMS service the cloud function's sendCode uses, from its
// environment variables. The code machinery (generation, hashed storage, cooldowns, caps,
// attempts) stays in index.js; a provider only delivers one code to one number in time.
//
//   const provider = fromEnv(process.env);   // per invocation: temporary keys rotate
//   provider.problems                        // [{name: 'TENCENT_SMS_SIGN_NAME', why: 'signName is not set…'}, …]: refuse to start
//   await provider.sendCode({ number, code, minutes, budgetMs, now? })   // Tencent: → {ok: true} | {err: <table entry>}
//   (`problems`: the core's (src/tencent.rs `setup_problems`), each under the variable to fix)
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

/** Plain data of a ZhenziError (or anything thrown): its table entry, with its detail. */
function plain(e) {
  if (!(e instanceof sdk.ZhenziError)) return entry(9100, String(e && e.message || e));
  return entry(e.code, e.detail || '');
}

// The credentials to sign with, read at send time (the runtime's temporary keys rotate), and
// the variables to name when they are wrong: the deployer's own pair when either is set, else
// the runtime's (then the hint says the deployer may set their own).
function tencentCredentials(env) {
  var id = read(env, 'TENCENT_SECRET_ID');
  var key = read(env, 'TENCENT_SECRET_KEY');
  var own = { secretId: 'TENCENT_SECRET_ID', secretKey: 'TENCENT_SECRET_KEY' };
  if (id || key) return { secretId: id, secretKey: key, sessionToken: '', names: own, hint: '' };
  return {
    secretId: read(env, 'TENCENTCLOUD_SECRETID'),
    secretKey: read(env, 'TENCENTCLOUD_SECRETKEY'),
    sessionToken: read(env, 'TENCENTCLOUD_SESSIONTOKEN'),
    names: own,
    hint: ' (set TENCENT_SECRET_ID and TENCENT_SECRET_KEY, or run where the runtime provides TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY)'
  };
}

// The core's field (src/tencent.rs `setup_problems`) → the variable that sets it.
var VARIABLE = {
  sdkAppId: 'TENCENT_SMS_SDK_APP_ID',
  signName: 'TENCENT_SMS_SIGN_NAME',
  templateId: 'TENCENT_SMS_TEMPLATE_ID',
  templateParamCount: 'TENCENT_SMS_TEMPLATE_PARAMS',
  region: 'TENCENT_SMS_REGION',
  endpoint: 'TENCENT_SMS_ENDPOINT',
  sessionToken: 'TENCENTCLOUD_SESSIONTOKEN',
  codeLength: 'ZHENZI_CODE_LENGTH',
  cooldownSeconds: 'ZHENZI_COOLDOWN_SECONDS'
};

/** One problem as the log and the reply say it. @param {{name: string, why: string}} p */
var said = function (p) {
  return p.name + ': ' + p.why;
};

function tencentProvider(env) {
  var appId = read(env, 'TENCENT_SMS_SDK_APP_ID');
  var signName = read(env, 'TENCENT_SMS_SIGN_NAME');
  var templateId = read(env, 'TENCENT_SMS_TEMPLATE_ID');
  var declared = read(env, 'TENCENT_SMS_TEMPLATE_PARAMS');
  var creds = tencentCredentials(env);
  // The core decides what is wrong (every rule is Tencent's or the code SMS's); this names the
  // variable of each field. Text goes as written: the core reads numbers from it.
  var checked = sdk.core.tencentCheckConfig({
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    sessionToken: creds.sessionToken,
    sdkAppId: appId,
    signName: signName,
    region: read(env, 'TENCENT_SMS_REGION'),
    endpoint: read(env, 'TENCENT_SMS_ENDPOINT'),
    templateId: templateId,
    templateParamCount: declared,
    codeLength: read(env, 'ZHENZI_CODE_LENGTH'),
    cooldownSeconds: read(env, 'ZHENZI_COOLDOWN_SECONDS')
  });
  var problems = (checked.problems || []).map(function (p) {
    var credential = p.field === 'secretId' || p.field === 'secretKey';
    var name = credential ? creds.names[p.field] : VARIABLE[p.field] || 'SMS_PROVIDER';
    return { name: name, why: p.detail + (credential ? creds.hint : '') };
  });
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
    var params = [String(a.code), String(a.minutes)].slice(0, variables);
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
        if (problems.length) return { err: entry(9001, problems.map(said).join('; ')) };
        // A code too long for a verification template is the core's refusal (9321), unsent.
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
  return { name: 'zhenzi', problems: name === 'zhenzi' ? [] : [{ name: 'SMS_PROVIDER', why: 'must be zhenzi or tencent, not ' + JSON.stringify(name) }] };
}

module.exports = { fromEnv: fromEnv, said: said };
