// The cloud function's provider module (dist/cloudfunctions/zhenzisms/zhenzisms_provider.js),
// as index.js will use it: configured from environment variables, problems named at start-up,
// one code delivered through Tencent (or Zhenzi) to the sandbox within the time budget.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const path = require('path');
const h = require('./helpers.js');
const { DIST, TEMPORARY, NUMBER, clock, useSandbox } = h;

const FUNCTION_DIR = path.join(DIST, 'cloudfunctions/zhenzisms');
const { fromEnv } = require(path.join(FUNCTION_DIR, 'zhenzisms_provider.js'));

let sb;
useSandbox((s) => (sb = s));

const tencentEnv = (more) => h.tencentEnv(sb.url, more);

const send = (provider, args = {}) => provider.sendCode(Object.assign({ number: NUMBER, code: '482913', minutes: 5, budgetMs: 2500, now: () => clock.ms }, args));

test('the cloud function folder ships the provider and the Tencent client', () => {
  for (const f of ['zhenzisms_provider.js', 'zhenzisms_tencent.js', 'zhenzisms_bg.wasm']) assert.ok(require('fs').existsSync(path.join(FUNCTION_DIR, f)), f);
});

test('start-up problems are named, with why', () => {
  // Each problem is the core's (field, problem, why) under the variable that sets the field.
  const names = (env) => fromEnv(env).problems.map((p) => p.name + ': ' + p.why).join('\n');
  // Zhenzi (the default) has no provider problems of its own: zhenzisms_settings.js names its variables.
  assert.equal(fromEnv({}).name, 'zhenzi');
  assert.deepEqual(fromEnv({}).problems, []);
  assert.match(names({ SMS_PROVIDER: 'tencnet', ZHENZI_APP_ID: '1', ZHENZI_APP_SECRET: 's' }), /^SMS_PROVIDER: must be zhenzi or tencent/);
  assert.deepEqual(fromEnv(tencentEnv()).problems, []);
  assert.match(names({ SMS_PROVIDER: 'tencent' }), /^TENCENT_SMS_SDK_APP_ID: [^\n]*not set[^\n]*\nTENCENT_SMS_SIGN_NAME: [^\n]*not set[^\n]*\nTENCENT_SMS_TEMPLATE_ID: [^\n]*\nTENCENT_SECRET_ID: [^\n]*empty \(set TENCENT_SECRET_ID and TENCENT_SECRET_KEY, or run where the runtime provides TENCENTCLOUD_SECRETID\/TENCENTCLOUD_SECRETKEY\)\nTENCENT_SECRET_KEY: [^\n]*empty[^\n]*$/);
  assert.match(names(tencentEnv({ TENCENT_SMS_SIGN_NAME: '356789' })), /^TENCENT_SMS_SIGN_NAME: signName is a number \(an ID\): it must be the approved signature's text/);
  assert.match(names(tencentEnv({ TENCENT_SECRET_KEY: '' })), /^TENCENT_SECRET_KEY: secretKey is empty$/);
  assert.match(names(tencentEnv({ ZHENZI_CODE_LENGTH: '8' })), /^ZHENZI_CODE_LENGTH: codeLength 8 cannot work with Tencent: verification templates take at most 6 digits/);
  assert.match(names(tencentEnv({ ZHENZI_COOLDOWN_SECONDS: '10' })), /^ZHENZI_COOLDOWN_SECONDS: cooldownSeconds 10 is below Tencent's one message per number every 30 s/);
  assert.match(names(tencentEnv({ TENCENT_SMS_TEMPLATE_PARAMS: '3' })), /^TENCENT_SMS_TEMPLATE_PARAMS: templateParamCount must be 1 \(the code\) or 2/);
  assert.match(names(tencentEnv({ TENCENT_SMS_ENDPOINT: 'http://sms.example.com' })), /^TENCENT_SMS_ENDPOINT: endpoint must use https:\/\//);
  assert.deepEqual(fromEnv(tencentEnv({ ZHENZI_CODE_LENGTH: '6', ZHENZI_COOLDOWN_SECONDS: '60', TENCENT_SMS_TEMPLATE_PARAMS: '1' })).problems, []);
});

test('a configuration with problems refuses to send (9001), and nothing goes out', async () => {
  const r = await send(fromEnv(tencentEnv({ TENCENT_SMS_SIGN_NAME: '' })));
  assert.equal(r.err.code, 9001);
  assert.match(r.err.detail, /TENCENT_SMS_SIGN_NAME/);
  assert.equal(sb.requests.length, 0);
});

test('a code and its minutes through Tencent, with explicit keys', async () => {
  const p = fromEnv(tencentEnv());
  assert.equal(p.name, 'tencent');
  assert.deepEqual(await send(p), { ok: true });
  assert.equal(sb.inbox(NUMBER).pop().message, '【云短信体验】您的验证码为482913，5分钟内有效。');
});

test('the runtime\'s temporary credentials, with their session token', async () => {
  const env = tencentEnv({
    TENCENT_SECRET_ID: '',
    TENCENT_SECRET_KEY: '',
    TENCENTCLOUD_SECRETID: TEMPORARY.secretId,
    TENCENTCLOUD_SECRETKEY: TEMPORARY.secretKey,
    TENCENTCLOUD_SESSIONTOKEN: TEMPORARY.token,
  });
  assert.deepEqual(fromEnv(env).problems, []);
  assert.deepEqual(await send(fromEnv(env)), { ok: true });
  // Rotated keys are read at send time; an expired token is Tencent's TokenFailure.
  env.TENCENTCLOUD_SESSIONTOKEN = 'expired';
  clock.ms += 31000;
  assert.equal((await send(fromEnv(env))).err.code, 9303);
});

test('a one-variable template: the refused count is retried once (nothing was sent), then remembered', async () => {
  const env = tencentEnv({ TENCENT_SMS_TEMPLATE_ID: '100002' });
  assert.deepEqual(await send(fromEnv(env)), { ok: true });
  assert.equal(sb.inbox(NUMBER).length, 1);
  assert.equal(sb.inbox(NUMBER)[0].message, '【云短信体验】您的验证码为482913，请勿泄露。');
  assert.deepEqual(sb.requests.map((r) => r.code), ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'Ok']);
  clock.ms += 31000;
  assert.deepEqual(await send(fromEnv(env)), { ok: true });
  assert.equal(sb.requests.length, 3, 'the count was remembered: one request');
  // Declared, it is never guessed.
  clock.ms += 31000;
  const declared = await send(fromEnv(tencentEnv({ TENCENT_SMS_TEMPLATE_ID: '100002', TENCENT_SMS_TEMPLATE_PARAMS: '2' })));
  assert.equal(declared.err.code, 9326);
  assert.equal(sb.requests.length, 4);
});

test('Tencent\'s limits and refusals come back as table entries', async () => {
  const p = fromEnv(tencentEnv());
  assert.deepEqual(await send(p), { ok: true });
  const limited = await send(p, { code: '111111' });
  assert.deepEqual([limited.err.code, limited.err.kind, limited.err.retriable], [9330, 'limit', false]);
  assert.match(limited.err.detail, /^LimitExceeded\.PhoneNumberThirtySecondLimit: /);
  assert.equal(typeof limited.err.reason, 'string');
  const seven = await send(p, { number: '13900139000', code: '1234567' });
  assert.equal(seven.err.code, 9321);
  assert.match(seven.err.detail, /templateParams\[0\] must be 0-6 digits/, 'the core refused it, before sending');
  const wrongKey = await send(fromEnv(tencentEnv({ TENCENT_SECRET_KEY: 'wrong' })), { number: '13900139000' });
  assert.equal(wrongKey.err.code, 9301);
  assert.equal(sb.inbox('13900139000').length, 0);
});

test('every call fits its budget: a hung Tencent gives 9101 before CloudBase\'s 3 s', async () => {
  sb.queueFault({ fault: 'hang', path: '/' });
  const r = await send(fromEnv(tencentEnv()), { budgetMs: 600 });
  assert.equal(r.err.code, 9101);
  // The budget became the one try's timeout (the transport says which it waited for): what
  // was left of the 600 ms when the try started, never more. No wall-clock window, which a
  // loaded machine would stretch.
  const waited = /^no (?:reply|connection) after (\d+) ms$/.exec(r.err.detail);
  assert.ok(waited && Number(waited[1]) <= 600 && Number(waited[1]) >= 300, r.err.detail);
});
