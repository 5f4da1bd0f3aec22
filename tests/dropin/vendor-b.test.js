'use strict';
// Vendor version B: A + sendCode(cb, number, message, messageId, seconds, length), which puts a
// code in place of {code}, and validateCode(code) → 'ok' | 'error' | 'expired' (the number is
// the one the code was sent to). The page is written as B's users wrote theirs.

const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');

const PAGE = `
var zhenzisms = require('../../utils/zhenzisms.js');

Page({
  data: { phone: '', code: '', codeLength: 6, sendResult: null, sendCalls: 0, result: '' },

  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  },

  getCode: function () {
    var that = this;
    zhenzisms.client.sendCode(function (res) {
      that.setData({ sendResult: res.data, sendCalls: that.data.sendCalls + 1 });
    }, this.data.phone, '验证码为:{code}，请在2分钟内输入。', '', 120, this.data.codeLength);
  },

  submit: function () {
    var result = zhenzisms.client.validateCode(this.data.code);
    if (result == 'ok') {
      wx.showToast({ title: '验证成功' });
    } else if (result == 'expired') {
      wx.showToast({ title: '验证码已过期', icon: 'none' });
    } else {
      wx.showToast({ title: '验证码错误', icon: 'none' });
    }
    this.setData({ result: result });
  }
});
`;

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

async function pageWithCode(t, length) {
  const mp = h.openMiniProgram(t, sb);
  h.writePage(mp.root, 'pages/login/login', PAGE);
  h.loadSdk(mp, sb);
  const page = mp.openPage('pages/login/login');
  page.setData({ phone: h.NUMBER, codeLength: length || 6 });
  page.getCode();
  await h.waitFor(() => page.data.sendResult, 'the sendCode callback');
  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 0, data: '发送成功' });
  const text = h.lastMessage(sb);
  return { mp, page, text, code: h.codeIn(text) };
}

test('B: sendCode(cb, number, message, messageId, seconds, length) sends the message with a fresh code', async (t) => {
  const { mp, page, text, code } = await pageWithCode(t);
  assert.match(text, /^验证码为:\d{6}，请在2分钟内输入。$/);
  assert.strictEqual(page.data.sendCalls, 1);
  const reqs = h.vendorRequests(sb);
  assert.strictEqual(reqs.length, 1);
  assert.strictEqual(reqs[0].path, '/sms/send.html');
  assert.strictEqual(reqs[0].form.apiUrl, h.API_URL);
  assert.strictEqual(reqs[0].form.number, h.NUMBER);
  assert.strictEqual(reqs[0].form.message, text);
  assert.strictEqual(reqs[0].form.messageId, '');
  // The vendor's storage keys are used, but the code itself is not kept in clear.
  assert.strictEqual(mp.storage.get('sms_number'), h.NUMBER);
  assert.ok(mp.storage.has('sms_code') && mp.storage.has('sms_code_expire'));
  const stored = h.plain(mp.storage.get('sms_code'));
  assert.notStrictEqual(stored, code);
  assert.ok(Object.values(stored).every((v) => String(v) !== code), 'the code is stored in clear');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('B: the length argument is honoured (4 digits)', async (t) => {
  const { text } = await pageWithCode(t, 4);
  assert.match(text, /^验证码为:\d{4}，请在2分钟内输入。$/);
});

test("B: validateCode(code) answers 'error' for a wrong code, then 'ok' for the one received, then 'error' (single use)", async (t) => {
  const { mp, page, code } = await pageWithCode(t);
  const wrong = String((Number(code) + 1) % 1e6).padStart(6, '0');
  page.setData({ code: wrong });
  page.submit();
  assert.strictEqual(page.data.result, 'error');

  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'ok');

  page.submit();
  assert.strictEqual(page.data.result, 'error', 'a used code was accepted again');
  assert.deepStrictEqual(h.plain(mp.toasts).map((x) => x.title), ['验证码错误', '验证成功', '验证码错误']);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("B: validateCode(code) answers 'expired' once the seconds given to sendCode have passed", async (t) => {
  const { mp, page, code } = await pageWithCode(t);
  const realNow = mp.global.Date.now;
  const start = realNow();
  t.after(() => {
    mp.global.Date.now = realNow;
  });
  mp.global.Date.now = () => start + 119 * 1000;
  page.setData({ code: '000000' === code ? '000001' : '000000' });
  page.submit();
  assert.strictEqual(page.data.result, 'error', 'before expiry a wrong code is an error');

  mp.global.Date.now = () => start + 121 * 1000;
  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'expired');
  assert.strictEqual(h.plain(mp.toasts).pop().title, '验证码已过期');
});

test("B: validateCode(code) before any code was sent is 'error', and nothing is sent", async (t) => {
  const mp = h.openMiniProgram(t, sb);
  h.writePage(mp.root, 'pages/login/login', PAGE);
  const zhenzisms = h.loadSdk(mp, sb);
  const page = mp.openPage('pages/login/login');
  await zhenzisms.client.ready(); // the user types for a while: the SDK has loaded by then
  page.setData({ code: '123456' });
  page.submit();
  assert.strictEqual(page.data.result, 'error');
  assert.strictEqual(h.vendorRequests(sb).length, 0);
});
