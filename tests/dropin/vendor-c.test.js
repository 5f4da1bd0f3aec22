'use strict';
// Vendor version C: B's positional sendCode, but validateCode(number, code) →
// 'ok' | 'empty' | 'number_error' | 'code_error' | 'code_expired'. The page is written as C's
// users wrote theirs (a message for each answer).

const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');

const PAGE = `
var zhenzisms = require('../../utils/zhenzisms.js');

var MESSAGES = {
  ok: '验证成功',
  empty: '请先获取验证码',
  number_error: '手机号与接收验证码的手机号不一致',
  code_error: '验证码错误',
  code_expired: '验证码已过期'
};

Page({
  data: { phone: '', code: '', sendResult: null, result: '', tip: '' },

  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  },

  getCode: function () {
    var that = this;
    zhenzisms.client.sendCode(function (res) {
      that.setData({ sendResult: res.data });
    }, this.data.phone, '您的验证码为{code}，5分钟内有效。', 'c-' + this.data.phone, 300, 6);
  },

  submit: function () {
    var result = zhenzisms.client.validateCode(this.data.phone, this.data.code);
    this.setData({ result: result, tip: MESSAGES[result] || result });
  }
});
`;

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

async function openLoaded(t) {
  const mp = h.openMiniProgram(t, sb);
  h.writePage(mp.root, 'pages/login/login', PAGE);
  const zhenzisms = h.loadSdk(mp, sb);
  const page = mp.openPage('pages/login/login');
  await zhenzisms.client.ready();
  return { mp, page, zhenzisms };
}

async function getCode(page) {
  page.setData({ phone: h.NUMBER, sendResult: null });
  page.getCode();
  await h.waitFor(() => page.data.sendResult, 'the sendCode callback');
  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 0, data: '发送成功' });
  return h.codeIn(h.lastMessage(sb), '6');
}

function submit(page, phone, code) {
  page.setData({ phone, code });
  page.submit();
  return page.data.result;
}

test("C: 'empty' before a code was sent", async (t) => {
  const { mp, page } = await openLoaded(t);
  assert.strictEqual(submit(page, h.NUMBER, '123456'), 'empty');
  assert.strictEqual(page.data.tip, '请先获取验证码');
  assert.strictEqual(h.vendorRequests(sb).length, 0);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("C: sendCode then 'number_error', 'code_error', 'ok' for the right pair", async (t) => {
  const { mp, page } = await openLoaded(t);
  const code = await getCode(page);
  assert.ok(code, 'no 6-digit code in the message');
  const req = h.vendorRequests(sb)[0];
  assert.strictEqual(req.path, '/sms/send.html');
  assert.strictEqual(req.form.messageId, 'c-' + h.NUMBER);
  assert.strictEqual(req.form.message, `您的验证码为${code}，5分钟内有效。`);

  assert.strictEqual(submit(page, '13900139000', code), 'number_error');
  const wrong = code === '999999' ? '999998' : '999999';
  assert.strictEqual(submit(page, h.NUMBER, wrong), 'code_error');
  assert.strictEqual(submit(page, h.NUMBER, code), 'ok');
  assert.strictEqual(page.data.tip, '验证成功');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("C: 'code_expired' after the 300 seconds given to sendCode, even for the right code", async (t) => {
  const { mp, page } = await openLoaded(t);
  const code = await getCode(page);
  const realNow = mp.global.Date.now;
  const start = realNow();
  t.after(() => {
    mp.global.Date.now = realNow;
  });
  mp.global.Date.now = () => start + 301 * 1000;
  assert.strictEqual(submit(page, h.NUMBER, code), 'code_expired');
  assert.strictEqual(page.data.tip, '验证码已过期');
});

test('C: the found message is the code message (findSmsByMessageId with the messageId sendCode used)', async (t) => {
  const { page, zhenzisms } = await openLoaded(t);
  const code = await getCode(page);
  // A's call, still part of C.
  const res = await new Promise((resolve) => zhenzisms.client.findSmsByMessageId(resolve, 'c-' + h.NUMBER));
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(res.data.data.message, `您的验证码为${code}，5分钟内有效。`);
});

test('C: validateCode(cb, number, code), the callback form, answers once and as a Promise', async (t) => {
  const { page, zhenzisms } = await openLoaded(t);
  const code = await getCode(page);
  const seen = [];
  const result = await zhenzisms.client.validateCode((r, e) => seen.push([r, e]), h.NUMBER, code);
  await h.sleep(30);
  assert.strictEqual(result, 'ok');
  assert.deepStrictEqual(seen, [['ok', undefined]]);
});
