// Cloud mode from the mini-program side: the built drop-in (dist/utils) in the simulator,
// client.initCloud({name}), the vendor callback API end to end through wx.cloud.callFunction →
// the built cloud function → the sandbox. The mini-program makes no wx.request, and neither
// the secret nor a vendor host reaches its storage, requests or console.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startSandbox } = require('../../sandbox/server.js');
const { createMiniProgram } = require('../simulator');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { ROOT, INDEX, NUMBER, setEnv, clearEnv, destroyAgents, codeFromInbox } = require('./helpers.js');

const SECRET = 'MP-CLOUD-SECRET-93d2';

let sb;
let mp;
let root;
let zhenzisms;
let cloudSdk;

before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 1000 }] } });
  // send, balance and findSmsByMessageId are opt-in routes: this deployment turns them on.
  setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_COMPAT: 'vendor', ZHENZI_VERIFY_KEY: 'miniprogram-test-verify-key-0123456789abcdef' });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-cloudmode-'));
  fs.cpSync(path.join(ROOT, 'dist/utils'), path.join(root, 'utils'), { recursive: true });
  cloudSdk = createCloudSdk({ openid: 'sim-openid-1' });
  mp = createMiniProgram({
    root,
    mode: { mathRandomThrows: true },
    cloudFunctions: { zhenzisms: INDEX },
    cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined),
  });
  zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.initCloud({ name: 'zhenzisms' });
});
after(async () => {
  mp.dispose();
  clearEnv();
  await sb.close();
  destroyAgents();
  fs.rmSync(root, { recursive: true, force: true });
});

// Calls a vendor-style method with a callback first; resolves [callback result, promise
// result], both as plain JSON (they are made in the mini-program's realm).
async function viaCallback(method, ...args) {
  let calls = 0;
  let fromCb;
  const returned = await zhenzisms.client[method]((res) => {
    calls++;
    fromCb = res;
  }, ...args);
  await mp.pending();
  assert.equal(calls, 1, `${method}: the callback ran once`);
  return [JSON.parse(JSON.stringify(fromCb)), JSON.parse(JSON.stringify(returned))];
}

test('send (A form and D template form) through the cloud function', async () => {
  const [res, same] = await viaCallback('send', NUMBER, '小程序云模式短信', 'mp-1');
  assert.deepEqual(res.data, { code: 0, data: '发送成功' });
  assert.equal(res.errMsg, 'cloud.callFunction:ok');
  assert.deepEqual(same, res);
  assert.equal(sb.inbox(NUMBER)[0].message, '小程序云模式短信');
  const [tpl] = await viaCallback('send', { number: NUMBER, templateId: '1001', templateParams: ['四五六七', 5] });
  assert.deepEqual(tpl.data, { code: 0, data: '发送成功' });
  assert.equal(sb.inbox(NUMBER)[1].message, '您的验证码为四五六七，5分钟内有效。【云短信体验】');
});

test('balance and findSmsByMessageId through the cloud function', async () => {
  const [balance] = await viaCallback('balance');
  assert.equal(balance.data.code, 0);
  assert.equal(Number(balance.data.data), 998);
  const [found] = await viaCallback('findSmsByMessageId', 'mp-1');
  assert.equal(found.data.code, 0);
  assert.equal(found.data.data.message, '小程序云模式短信');
  assert.equal(found.data.data.toNumber, NUMBER);
  const [none] = await viaCallback('findSmsByMessageId', 'never');
  assert.deepEqual(none.data, { code: 0, data: {} });
});

test('a refused call comes back as res.data {code, data} plus res.error', async () => {
  const [res] = await viaCallback('send', '12345', 'x');
  assert.equal(res.data.code, 100);
  assert.equal(res.data.data, '手机号码格式不正确，请检查后重试。', 'the function\'s sentence for the page');
  assert.equal(res.error.code, 100);
  assert.equal(res.error.reason, '参数格式错误');
});

test('sendCode then validateCode: the code travels only to the phone', async () => {
  const [sent] = await viaCallback('sendCode', { number: NUMBER, message: '您的验证码为{code}，5分钟内有效。' });
  assert.equal(sent.data.code, 0);
  const code = codeFromInbox(sb, NUMBER);
  assert.match(code, /^\d{6}$/);
  assert.ok(!JSON.stringify(sent).includes(code), 'not in the reply');

  let seen = [];
  const first = await zhenzisms.client.validateCode((r, e) => seen.push([r, e]), NUMBER, code);
  assert.equal(first, 'ok');
  // The callback's second argument is the function's signed proof, for the page to hand on.
  assert.equal(seen.length, 1);
  assert.equal(seen[0][0], 'ok');
  assert.match(seen[0][1].token, /\S{20,}/);
  assert.ok(seen[0][1].expiresAt > Date.now());
  assert.equal((await zhenzisms.client.validateCode({ number: NUMBER, code: code })).result, 'code_used');
  const everything = JSON.stringify([mp.requests, [...mp.storage.entries()], mp.logs.map((l) => l.text)]);
  assert.ok(!everything.includes(code), 'the code never reached the mini-program');
});

// CloudBase stops a function after 3 s by default (the simulator too): a Zhenzi that does not
// answer must come back as the SDK's timeout, not as a failed cloud call of unknown outcome.
test('a hung Zhenzi: send → 9101 from the function within the 3 s cloud limit, not 9105', async () => {
  sb.queueFault({ fault: 'hang', path: '/sms/send.do', count: 1 });
  const started = Date.now();
  const [res] = await viaCallback('send', NUMBER, 'slow');
  assert.equal(res.errMsg, 'cloud.callFunction:ok');
  assert.equal(res.data.code, 9101);
  assert.equal(res.error.kind, 'timeout');
  assert.ok(Date.now() - started < 3000);
  assert.equal(sb.requests.filter((r) => r.path === '/sms/send.do' && r.form.message === 'slow').length, 1, 'sent once');
});

test('a hung Zhenzi: balance retries inside the same budget, then answers or gives 9101', async () => {
  const before = sb.requests.length;
  sb.queueFault({ fault: 'hang', path: '/account/balance.do', count: 1 });
  const [ok] = await viaCallback('balance');
  assert.equal(ok.data.code, 0, 'the retry after one hang succeeds');
  assert.equal(sb.requests.length - before, 2);
  sb.queueFault({ fault: 'hang', path: '/account/balance.do', count: 3 });
  const started = Date.now();
  const [res] = await viaCallback('balance');
  assert.equal(res.data.code, 9101);
  assert.ok(Date.now() - started < 3000);
  assert.equal(sb.requests.length - before, 5, '1 + 2 retries');
});

test('the mini-program made no wx.request, and holds neither the secret nor a vendor host', async () => {
  await mp.pending();
  assert.deepEqual(mp.requests, []);
  const everything = JSON.stringify([mp.requests, [...mp.storage.entries()], mp.logs.map((l) => l.text), mp.errors.map(String)]);
  for (const needle of [SECRET, 'zhenzikj', sb.url]) assert.ok(!everything.includes(needle), `found ${needle}`);
  assert.ok(sb.requests.length >= 6, 'the calls really went to Zhenzi, from the cloud function');
  assert.ok(sb.requests.every((r) => r.form.appId === '10001'));
});
