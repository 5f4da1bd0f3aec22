// Issue 11 item 4: pages written for the vendor's cloud functions call
// wx.cloud.callFunction({name: 'zhenzisms', data: {$url, …}}) themselves and read the vendor's
// shapes: res.result.body.code (cloud v1 send/balance/find), res.result.code / .data (v2),
// {code, msg} (v1 sendCode/validateCode), {code, data} (v2 validateCode/createCode). One reply
// carries every spelling, in the routes the deployer enabled (ZHENZI_COMPAT=vendor here); with
// the defaults the same pages read a failure, and never throw. The pages are written as those
// users wrote theirs and run in the simulator against the built function and the sandbox.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { INDEX, setEnv, clearEnv, destroyAgents, codeFromInbox } = require('./helpers.js');
const h = require('../dropin/helpers.js');

const SECRET = 'VENDOR-PAGES-SECRET-41aa';
const NUMBER = '13800138000';

// Cloud v1 (text messages): results under res.result.body; sendCode / validateCode {code, msg}.
const PAGE_V1 = `
Page({
  data: { phone: '', code: '', sent: null, balance: null, record: null, codeSent: '', result: '' },
  send: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'send', number: this.data.phone, message: '您的订单已发货', messageId: 'order-1' },
      success: function (res) { that.setData({ sent: res.result.body.code == 0 ? 'ok' : res.result.body.data }); } });
  },
  getBalance: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'balance' },
      success: function (res) { that.setData({ balance: res.result.body.code == 0 ? res.result.body.data : 'failed' }); } });
  },
  find: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'findSmsByMessageId', messageId: 'order-1' },
      success: function (res) { that.setData({ record: res.result.body.data }); } });
  },
  getCode: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'sendCode', number: this.data.phone, message: '验证码为:{code}', seconds: 300, length: 4, messageId: '' },
      success: function (res) { that.setData({ codeSent: res.result.code == 'success' ? 'ok' : res.result.msg }); } });
  },
  submit: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'validateCode', number: this.data.phone, code: this.data.code },
      success: function (res) { that.setData({ result: res.result.code == 'success' ? 'ok' : res.result.msg }); } });
  }
});
`;

// Cloud v2 (templates): the Zhenzi body bare (res.result.code / .data); createCode hands the
// page a code it sends itself; validateCode {code, data}.
const PAGE_V2 = `
Page({
  data: { phone: '', code: '', sent: null, result: '' },
  getCode: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'createCode', number: this.data.phone, length: 4, seconds: 300, intervalTime: 60 },
      success: function (res) {
        if (res.result.code != 'success') { that.setData({ sent: res.result.data }); return; }
        wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'send', number: that.data.phone, templateId: '1001', templateParams: [res.result.data, '5'] },
          success: function (r) { that.setData({ sent: r.result.code == 0 ? 'ok' : r.result.data }); } });
      } });
  },
  submit: function () {
    var that = this;
    wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'validateCode', number: this.data.phone, code: this.data.code },
      success: function (res) { that.setData({ result: res.result.code == 'success' ? 'ok' : res.result.data }); } });
  }
});
`;

let sb;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 1000 }] } });
});
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

// The documented configuration for vendor pages (guide §4): their code SMS text is listed.
const VENDOR_TEXTS = { ZHENZI_CODE_MESSAGES: JSON.stringify(['验证码为:{code}']) };

function openPage(t, route, source, extraEnv) {
  setEnv(Object.assign({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url }, VENDOR_TEXTS, extraEnv));
  const cloudSdk = createCloudSdk({ openid: 'openid-' + route.replace(/\W/g, '-') });
  const mp = h.openMiniProgram(t, sb, { cloudFunctions: { zhenzisms: INDEX }, cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined) });
  h.writePage(mp.root, route, source);
  const page = mp.openPage(route);
  page.setData({ phone: NUMBER });
  return { mp, page };
}

async function tap(mp, page, handler) {
  page[handler]();
  await mp.pending();
  await mp.pending();
}

test('cloud v1 pages (ZHENZI_COMPAT=vendor): send, balance, find read res.result.body; sendCode and validateCode read {code, msg}', async (t) => {
  sb.reset();
  const { mp, page } = openPage(t, 'pages/v1/v1', PAGE_V1, { ZHENZI_COMPAT: 'vendor' });
  await tap(mp, page, 'send');
  assert.equal(page.data.sent, 'ok');
  await tap(mp, page, 'getBalance');
  assert.equal(page.data.balance, 999);
  await tap(mp, page, 'find');
  assert.equal(h.plain(page.data.record).message, '您的订单已发货');
  await tap(mp, page, 'getCode');
  assert.equal(page.data.codeSent, 'ok');
  const code = codeFromInbox(sb, NUMBER);
  assert.equal(code.length, 6, 'the page asked for 4 digits; the function keeps its 6');
  assert.equal(sb.inbox(NUMBER)[sb.inbox(NUMBER).length - 1].message, '验证码为:' + code, 'the listed text went out');
  page.setData({ code: code === '000000' ? '111111' : '000000' });
  await tap(mp, page, 'submit');
  assert.equal(page.data.result, '验证码不一致!');
  page.setData({ code });
  await tap(mp, page, 'submit');
  assert.equal(page.data.result, 'ok');
  assert.deepEqual(mp.errors, []);
});

test('cloud v2 pages (ZHENZI_COMPAT=vendor): createCode → template send reads res.result.code, validateCode reads {code, data}', async (t) => {
  sb.reset();
  const { mp, page } = openPage(t, 'pages/v2/v2', PAGE_V2, { ZHENZI_COMPAT: 'vendor' });
  await tap(mp, page, 'getCode');
  await tap(mp, page, 'getCode'); // a second tap inside the cooldown: refused, and the page shows why
  assert.match(String(page.data.sent), /频繁|retry/);
  const code = codeFromInbox(sb, NUMBER);
  assert.equal(sb.inbox(NUMBER).length, 1);
  assert.equal(sb.inbox(NUMBER)[0].message, `您的验证码为${code}，5分钟内有效。【云短信体验】`);
  page.setData({ code: code === '000000' ? '111111' : '000000' });
  await tap(mp, page, 'submit');
  assert.equal(page.data.result, '验证码不一致!');
  page.setData({ code });
  await tap(mp, page, 'submit');
  assert.equal(page.data.result, 'ok');
  assert.deepEqual(mp.errors, []);
});

test('with the defaults the same pages read a failure (route off), never throw, and nothing is sent but the code', async (t) => {
  sb.reset();
  const v1 = openPage(t, 'pages/off1/off1', PAGE_V1, {});
  await tap(v1.mp, v1.page, 'send');
  assert.equal(v1.page.data.sent, '这个功能未开启，请联系管理员。', 'a sentence the page can show');
  await tap(v1.mp, v1.page, 'getBalance');
  assert.equal(v1.page.data.balance, 'failed');
  await tap(v1.mp, v1.page, 'getCode');
  assert.equal(v1.page.data.codeSent, 'ok', 'sendCode is always on');
  assert.deepEqual(v1.mp.errors, []);
  const v2 = openPage(t, 'pages/off2/off2', PAGE_V2, {});
  await tap(v2.mp, v2.page, 'getCode');
  assert.match(String(v2.page.data.sent), /未开启.*sendCode/);
  assert.deepEqual(v2.mp.errors, []);
  assert.deepEqual(sb.requests.map((r) => r.path), ['/sms/send.do'], 'only the code SMS');
});
