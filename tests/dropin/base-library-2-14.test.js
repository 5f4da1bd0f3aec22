'use strict';
// Base library 2.14.x: WXWebAssembly and .wasm.br, but no wx.getRandomValues (2.15.0). Sends,
// balance, lookups and cloud mode work there; only a code made on the phone needs 2.15.0, and
// the error says so. The simulator drops wx.getRandomValues for sdkVersion < 2.15.0.

const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const cloud = require('../cloudmode/helpers.js');

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(async () => {
  cloud.clearEnv();
  cloud.destroyAgents();
  await sb.close();
});
test.beforeEach(() => sb.reset());

test('2.14.1, direct mode: send, template send, balance and find work; ready() resolves', async (t) => {
  const mp = h.openMiniProgram(t, sb, { sdkVersion: '2.14.1' });
  assert.strictEqual(mp.run('typeof wx.getRandomValues'), 'undefined');
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const c = zhenzisms.client;
  assert.strictEqual((await c.send(null, h.NUMBER, '旧基础库。', 'old-1')).data.code, 0);
  assert.strictEqual((await c.send(null, { number: h.NUMBER, templateId: '1001', templateParams: ['1234', '5'] })).data.code, 0);
  assert.strictEqual((await c.balance(null)).data.code, 0);
  const found = await c.findSmsByMessageId(null, 'old-1');
  assert.strictEqual(found.data.data.message, '旧基础库。');
  assert.strictEqual(await c.ready(), true);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('2.14.1, direct mode: createCode and sendCode fail with 9104 saying 2.15.0 is needed; nothing is sent', async (t) => {
  const mp = h.openMiniProgram(t, sb, { sdkVersion: '2.14.1' });
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  await mp.pending();
  assert.throws(() => zhenzisms.client.createCode(4, 60, h.NUMBER), (e) => e instanceof zhenzisms.ZhenziError && e.code === 9104 && /2\.15\.0/.test(e.detail) && /2\.15\.0/.test(e.message));
  const r = h.recorder();
  zhenzisms.client.sendCode(r.cb, h.NUMBER, '您的验证码为{code}。');
  const res = await r.first;
  assert.strictEqual(res.data.code, 9104);
  assert.match(res.error.detail, /2\.15\.0/);
  assert.match(res.error.detail, /cloud mode/);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
});

test('2.14.1, cloud mode: sendCode and validateCode through the cloud function', async (t) => {
  cloud.setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: 'sandbox-secret-10001', ZHENZI_API_URL: sb.url });
  const cloudSdk = createCloudSdk({ openid: 'old-phone-1' });
  const mp = h.openMiniProgram(t, sb, {
    sdkVersion: '2.14.1',
    cloudFunctions: { zhenzisms: cloud.INDEX },
    cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined),
  });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.initCloud({ name: 'zhenzisms' });
  const sent = await new Promise((resolve) => zhenzisms.client.sendCode(resolve, { number: h.NUMBER, message: '您的验证码为{code}。' }));
  assert.strictEqual(sent.data.code, 0, JSON.stringify(sent.data));
  const code = h.codeIn(h.lastMessage(sb), '4,8');
  const result = await new Promise((resolve) => zhenzisms.client.validateCode(resolve, h.NUMBER, code));
  assert.strictEqual(result, 'ok');
  assert.strictEqual(mp.requests.length, 0, 'cloud mode makes no wx.request');
  await mp.pending();
});
