// The built cloud function with SMS_PROVIDER=tencent: pages' sendCode / validateCode work
// unchanged while the code goes out through Tencent Cloud SMS (signed, verified by the sandbox),
// with the same limits, single use and verified result; set-up mistakes are named at start-up.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const h = require('./helpers.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { loadCloudFunction, invoker, destroyAgents, codeFromInbox } = require('../cloudmode/helpers.js');

const { TEMPORARY } = h;
// Every variable the function reads for Tencent; each test sets exactly the ones it names.
const KEYS = ['SMS_PROVIDER', 'TENCENT_SMS_SDK_APP_ID', 'TENCENT_SMS_SIGN_NAME', 'TENCENT_SMS_TEMPLATE_ID', 'TENCENT_SMS_ENDPOINT',
  'TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN'];

let sb;
let cloudSdk;
let invoke;
let number = 13800138000;
const nextNumber = () => String(++number); // Tencent allows one SMS per number every 30 s

function setEnv(values) {
  for (const k of Object.keys(process.env)) if (k.startsWith('ZHENZI_') || KEYS.includes(k)) delete process.env[k];
  Object.assign(process.env, values);
}

const tencentEnv = (more) => h.tencentEnv(sb.url, more);

before(async () => {
  sb = await startSandbox({ port: 0 });
  cloudSdk = createCloudSdk({ openid: 'openid-alice' });
  invoke = invoker(loadCloudFunction(cloudSdk), cloudSdk);
});
let users = 0;
beforeEach(() => {
  cloudSdk.context.OPENID = 'openid-user-' + ++users; // each test a new user: the per-caller cooldown
});
after(async () => {
  setEnv({});
  await sb.close();
  destroyAgents();
});

test('sendCode goes out through Tencent; validateCode and checkVerified work as with Zhenzi', async () => {
  setEnv(tencentEnv());
  const n = nextNumber();
  const sent = await invoke({ $url: 'sendCode', number: '+86 ' + n });
  assert.deepEqual(sent, { code: 'success', msg: '发送成功' });
  const code = codeFromInbox(sb, n);
  assert.match(code, /^\d{6}$/);
  assert.ok(!JSON.stringify(sent).includes(code), 'the code never reaches the page');
  assert.equal((await invoke({ $url: 'validateCode', number: n, code: code === '000000' ? '111111' : '000000' })).code, 'code_error');
  const ok = await invoke({ $url: 'validateCode', number: n, code });
  assert.equal(ok.code, 'success');
  assert.equal(ok.msg, '验证通过');
  assert.equal((await invoke({ $url: 'validateCode', number: n, code })).code, 'code_used');
  const checked = await invoke({ $url: 'checkVerified', number: n });
  assert.equal(checked.code, 'success');
  assert.equal(checked.number, n);
});

test('the function keeps its own resend cooldown (≥ Tencent\'s 30 s): a second code is refused before any request', async () => {
  setEnv(tencentEnv());
  const n = nextNumber();
  assert.equal((await invoke({ $url: 'sendCode', number: n })).code, 'success');
  const again = await invoke({ $url: 'sendCode', number: n });
  assert.equal(again.code, 'intervalError');
  assert.equal(again.error.code, 9201);
  assert.equal(sb.inbox(n).length, 1, 'one SMS');
});

test('temporary credentials work, but then the code hash needs ZHENZI_CODE_KEY, named at start-up', async () => {
  const temporary = tencentEnv({ TENCENT_SECRET_ID: undefined, TENCENT_SECRET_KEY: undefined, TENCENTCLOUD_SECRETID: TEMPORARY.secretId, TENCENTCLOUD_SECRETKEY: TEMPORARY.secretKey, TENCENTCLOUD_SESSIONTOKEN: TEMPORARY.token });
  for (const k of Object.keys(temporary)) if (temporary[k] === undefined) delete temporary[k];
  setEnv(temporary);
  const refused = await invoke({ $url: 'sendCode', number: nextNumber() });
  assert.equal(refused.error.code, 9001);
  assert.match(refused.error.detail, /ZHENZI_CODE_KEY/);
  setEnv(Object.assign({ ZHENZI_CODE_KEY: 'a-long-random-string-for-the-code-hash' }, temporary));
  const n = nextNumber();
  assert.equal((await invoke({ $url: 'sendCode', number: n })).code, 'success');
  assert.equal((await invoke({ $url: 'validateCode', number: n, code: codeFromInbox(sb, n) })).code, 'success');
});

test('set-up mistakes are refused at start-up with the variable and why: code length 7, a numeric SignName, no template', async () => {
  for (const [more, why] of [
    [{ ZHENZI_CODE_LENGTH: '7' }, /ZHENZI_CODE_LENGTH: codeLength 7 .*at most 6 digits/],
    [{ TENCENT_SMS_SIGN_NAME: '123456' }, /TENCENT_SMS_SIGN_NAME: signName is a number/],
    [{ TENCENT_SMS_TEMPLATE_ID: '' }, /TENCENT_SMS_TEMPLATE_ID/],
  ]) {
    setEnv(tencentEnv(more));
    const n = nextNumber();
    const r = await invoke({ $url: 'sendCode', number: n });
    assert.equal(r.error.code, 9001, JSON.stringify(r));
    assert.match(r.error.detail, why);
    assert.equal(sb.inbox(n).length, 0, 'nothing sent');
  }
});

test('Zhenzi routes answer that they need SMS_PROVIDER=zhenzi, even when opted in', async () => {
  setEnv(tencentEnv({ ZHENZI_COMPAT: 'vendor' }));
  const r = await invoke({ $url: 'balance' });
  assert.equal(r.code, 9001);
  assert.match(r.error.detail, /SMS_PROVIDER is tencent/);
});
