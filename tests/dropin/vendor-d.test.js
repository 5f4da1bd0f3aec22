'use strict';
// Vendor version D: object arguments. send(cb, {message, number, messageId?, clientIp?}),
// sendCode(cb, {number, message, seconds, length, messageId?, clientIp?}),
// validateCode(number, code), and the code is cleared after 'ok'. The page is written as D's
// users wrote theirs.

const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');

const PAGE = `
var zhenzisms = require('../../utils/zhenzisms.js');

Page({
  data: { phone: '', code: '', sendResult: null, codeResult: null, record: null, result: '' },

  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  },

  notify: function () {
    var that = this;
    zhenzisms.client.send(function (res) {
      that.setData({ sendResult: res.data });
    }, {
      message: '您的订单已发货，请注意查收。',
      number: this.data.phone,
      messageId: 'ship-' + this.data.phone,
      clientIp: '192.168.10.20'
    });
  },

  getCode: function () {
    var that = this;
    zhenzisms.client.sendCode(function (res) {
      that.setData({ codeResult: res.data });
    }, {
      number: this.data.phone,
      message: '您的验证码为:{code}，{seconds}秒内有效。'.replace('{seconds}', '180'),
      seconds: 180,
      length: 8,
      messageId: 'code-' + this.data.phone,
      clientIp: '10.1.2.3'
    });
  },

  find: function () {
    var that = this;
    zhenzisms.client.findSmsByMessageId(function (res) {
      that.setData({ record: res.data });
    }, 'ship-' + this.data.phone);
  },

  submit: function () {
    this.setData({ result: zhenzisms.client.validateCode(this.data.phone, this.data.code) });
  }
});
`;

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

function openPage(t) {
  const mp = h.openMiniProgram(t, sb);
  h.writePage(mp.root, 'pages/order/order', PAGE);
  h.loadSdk(mp, sb);
  const page = mp.openPage('pages/order/order');
  page.setData({ phone: h.NUMBER });
  return { mp, page };
}

test('D: send(cb, {message, number, messageId, clientIp}) sends every field, and find returns it', async (t) => {
  const { mp, page } = openPage(t);
  page.notify();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 0, data: '发送成功' });
  const req = h.vendorRequests(sb)[0];
  assert.strictEqual(req.path, '/sms/send.html');
  assert.deepStrictEqual(req.form, {
    appId: '10001',
    appSecret: '***',
    apiUrl: h.API_URL,
    message: '您的订单已发货，请注意查收。',
    number: h.NUMBER,
    messageId: 'ship-' + h.NUMBER,
    clientIp: '192.168.10.20',
  });

  page.find();
  await h.waitFor(() => page.data.record, 'the find callback');
  assert.strictEqual(page.data.record.code, 0);
  assert.strictEqual(page.data.record.data.message, '您的订单已发货，请注意查收。');
  assert.strictEqual(page.data.record.data.messageId, 'ship-' + h.NUMBER);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("D: sendCode(cb, {…, seconds, length: 8}) sends an 8-digit code; 'ok' once, then the code is gone", async (t) => {
  const { mp, page } = openPage(t);
  page.getCode();
  await h.waitFor(() => page.data.codeResult, 'the sendCode callback');
  assert.deepStrictEqual(h.plain(page.data.codeResult), { code: 0, data: '发送成功' });
  const text = h.lastMessage(sb);
  assert.match(text, /^您的验证码为:\d{8}，180秒内有效。$/);
  const code = h.codeIn(text, '8');

  const req = h.vendorRequests(sb)[0];
  assert.strictEqual(req.form.messageId, 'code-' + h.NUMBER);
  assert.strictEqual(req.form.clientIp, '10.1.2.3');
  assert.strictEqual(req.form.apiUrl, h.API_URL);

  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'ok');
  page.submit();
  assert.notStrictEqual(page.data.result, 'ok', 'the code was not cleared after ok');
  assert.strictEqual(page.data.result, 'code_used');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("D: the code lives the 180 seconds given: 'ok' at 179 s, 'code_expired' at 181 s", async (t) => {
  const { mp, page } = openPage(t);
  page.getCode();
  await h.waitFor(() => page.data.codeResult, 'the sendCode callback');
  const code = h.codeIn(h.lastMessage(sb), '8');
  const realNow = mp.global.Date.now;
  const start = realNow();
  t.after(() => {
    mp.global.Date.now = realNow;
  });
  mp.global.Date.now = () => start + 181 * 1000;
  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'code_expired');
  mp.global.Date.now = () => start + 179 * 1000;
  page.submit();
  assert.strictEqual(page.data.result, 'ok');
});

test('D: a second sendCode within the cooldown is refused without a request, and the page still reads res.data.code', async (t) => {
  const { mp, page } = openPage(t);
  page.getCode();
  await h.waitFor(() => page.data.codeResult, 'the first sendCode callback');
  page.setData({ codeResult: null });
  page.getCode();
  await h.waitFor(() => page.data.codeResult, 'the second sendCode callback');
  assert.strictEqual(page.data.codeResult.code, 9201);
  assert.strictEqual(typeof page.data.codeResult.data, 'string');
  assert.strictEqual(h.vendorRequests(sb).length, 1);
  assert.strictEqual(sb.inbox(h.NUMBER).length, 1);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});
