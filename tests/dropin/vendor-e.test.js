'use strict';
// Vendor version E (the latest): send(cb, {templateId, templateParams, number, messageId?,
// clientIp?}) is a v2 template send; createCode(length, seconds, number) returns a code without
// sending it, and the page sends it in a template itself; validateCode(number, code) as in C/D.
// The page is written as E's users wrote theirs.

const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');

const TEMPLATE_TEXT = (code, minutes) => `您的验证码为${code}，${minutes}分钟内有效。【云短信体验】`;

const PAGE = `
var zhenzisms = require('../../utils/zhenzisms.js');

Page({
  data: { phone: '', code: '', sendResult: null, balance: null, record: null, result: '' },

  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  },

  // Generate the code here, send it with an approved template.
  getCode: function () {
    var that = this;
    var code = zhenzisms.client.createCode(4, 300, this.data.phone);
    var params = [];
    params[0] = code;
    params[1] = '5分钟';
    zhenzisms.client.send(function (res) {
      that.setData({ sendResult: res.data });
    }, {
      templateId: '1001',
      templateParams: params,
      number: this.data.phone,
      messageId: 'login-' + this.data.phone
    });
  },

  submit: function () {
    var result = zhenzisms.client.validateCode(this.data.phone, this.data.code);
    this.setData({ result: result });
  },

  getBalance: function () {
    var that = this;
    zhenzisms.client.balance(function (res) {
      that.setData({ balance: res.data });
    });
  },

  find: function () {
    var that = this;
    zhenzisms.client.findSmsByMessageId(function (res) {
      that.setData({ record: res.data });
    }, 'login-' + this.data.phone);
  }
});
`;

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

// createCode is synchronous: by the time the user taps "get code", the SDK has loaded.
async function openLoaded(t, options) {
  const mp = h.openMiniProgram(t, sb, options);
  h.writePage(mp.root, 'pages/login/login', PAGE);
  const zhenzisms = h.loadSdk(mp, sb);
  const page = mp.openPage('pages/login/login');
  await zhenzisms.client.ready();
  page.setData({ phone: h.NUMBER });
  return { mp, page, zhenzisms };
}

test('E: createCode + template send: the v2 relay path, templateParams as a JSON string, the filled text in the inbox', async (t) => {
  const { mp, page } = await openLoaded(t);
  page.getCode();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 0, data: '发送成功' });

  const reqs = h.vendorRequests(sb);
  assert.strictEqual(reqs.length, 1);
  assert.strictEqual(reqs[0].path, '/sms/v2/send.html');
  const form = reqs[0].form;
  assert.strictEqual(form.apiUrl, h.API_URL);
  assert.strictEqual(form.templateId, '1001');
  assert.strictEqual(form.number, h.NUMBER);
  assert.strictEqual(form.messageId, 'login-' + h.NUMBER);
  assert.strictEqual(form.message, undefined);
  const params = JSON.parse(form.templateParams);
  assert.strictEqual(params.length, 2);
  assert.match(params[0], /^\d{4}$/);
  assert.strictEqual(params[1], '5分钟');
  assert.strictEqual(h.lastMessage(sb), TEMPLATE_TEXT(params[0], '5分钟'));
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test("E: validateCode(number, code) with the received code is 'ok', then 'code_used'; a wrong one 'code_error'", async (t) => {
  const { mp, page } = await openLoaded(t);
  page.getCode();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  const code = h.codeIn(h.lastMessage(sb), '4');
  page.setData({ code: code === '0000' ? '0001' : '0000' });
  page.submit();
  assert.strictEqual(page.data.result, 'code_error');
  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'ok');
  page.submit();
  assert.strictEqual(page.data.result, 'code_used');
  page.setData({ phone: '13900139000' });
  page.submit();
  assert.strictEqual(page.data.result, 'number_error');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('E: createCode(length, seconds, number) honours length and seconds, and never uses Math.random', async (t) => {
  const { mp, zhenzisms } = await openLoaded(t, { mode: { mathRandomThrows: true } });
  for (const length of [4, 5, 6, 7, 8]) {
    const code = zhenzisms.client.createCode(length, 60, h.NUMBER);
    assert.strictEqual(typeof code, 'string');
    assert.match(code, new RegExp(`^\\d{${length}}$`));
  }
  const eights = new Set([1, 2, 3].map(() => zhenzisms.client.createCode(8, 60, h.NUMBER)));
  assert.strictEqual(eights.size, 3, 'three 8-digit codes in a row were not all different');
  const code = zhenzisms.client.createCode(6, 60, h.NUMBER);
  const realNow = mp.global.Date.now;
  const start = realNow();
  t.after(() => {
    mp.global.Date.now = realNow;
  });
  mp.global.Date.now = () => start + 61 * 1000;
  assert.strictEqual(zhenzisms.client.validateCode(h.NUMBER, code), 'code_expired');
  // createCode sends nothing.
  assert.strictEqual(h.vendorRequests(sb).length, 0);
  assert.strictEqual(mp.requests.length, 0);
});

test('E: balance and findSmsByMessageId after the template send', async (t) => {
  const { mp, page } = await openLoaded(t);
  page.getCode();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  page.getBalance();
  page.find();
  await h.waitFor(() => page.data.balance && page.data.record, 'the balance and find callbacks');
  assert.deepStrictEqual(h.plain(page.data.balance), { code: 0, data: 999 });
  assert.strictEqual(page.data.record.code, 0);
  assert.strictEqual(page.data.record.data.message, h.lastMessage(sb));
  assert.strictEqual(page.data.record.data.toNumber, h.NUMBER);
  assert.deepStrictEqual(h.vendorRequests(sb).map((r) => r.path).sort(), ['/sms/balance.html', '/sms/findSmsByMessageId.html', '/sms/v2/send.html']);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('E: a template send with numbers as templateParams writes them as strings', async (t) => {
  const { zhenzisms } = await openLoaded(t);
  const res = await zhenzisms.client.send(null, { templateId: '1001', templateParams: [2468, 10], number: h.NUMBER });
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(h.vendorRequests(sb)[0].form.templateParams, '["2468","10"]');
  assert.strictEqual(h.lastMessage(sb), TEMPLATE_TEXT('2468', '10'));
});
