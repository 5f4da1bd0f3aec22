'use strict';
// Vendor version A (the seed SDK): init(apiUrl, appId, appSecret); send(cb, number, message,
// messageId?); balance(cb); findSmsByMessageId(cb, messageId). The page below is written the
// way A's users wrote theirs; the test only adds client.configure({relayUrl}).

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers.js');

const PAGE = `
var zhenzisms = require('../../utils/zhenzisms.js');

Page({
  data: { phone: '', message: '', messageId: '', sendResult: null, sendCalls: 0, balance: null, record: null, error: '' },

  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  },

  bindPhone: function (e) {
    this.setData({ phone: e.detail.value });
  },

  sendSms: function () {
    var that = this;
    zhenzisms.client.send(function (res) {
      that.setData({ sendResult: res.data, sendCalls: that.data.sendCalls + 1 });
      if (res.data.code == 0) {
        wx.showToast({ title: '发送成功' });
      } else {
        wx.showToast({ title: res.data.data, icon: 'none' });
      }
    }, this.data.phone, this.data.message, this.data.messageId);
  },

  getBalance: function () {
    var that = this;
    zhenzisms.client.balance(function (res) {
      if (res.data.code == 0) that.setData({ balance: res.data.data });
      else that.setData({ error: res.data.data });
    });
  },

  findSms: function () {
    var that = this;
    zhenzisms.client.findSmsByMessageId(function (res) {
      if (res.data.code == 0) that.setData({ record: res.data.data });
      else that.setData({ error: res.data.data });
    }, this.data.messageId);
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
  h.writePage(mp.root, 'pages/sms/sms', PAGE);
  h.loadSdk(mp, sb);
  const page = mp.openPage('pages/sms/sms');
  return { mp, page };
}

test('A: send(cb, number, message, messageId) reaches the relay with the vendor fields and the page sees code 0', async (t) => {
  const { mp, page } = openPage(t);
  page.bindPhone({ detail: { value: h.NUMBER } });
  page.setData({ message: '您的验证码为2323，请勿泄露。', messageId: 'order-a-1' });
  page.sendSms();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  await mp.pending();

  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 0, data: '发送成功' });
  assert.strictEqual(page.data.sendCalls, 1);
  assert.deepStrictEqual(h.plain(mp.toasts).map((x) => x.title), ['发送成功']);

  const reqs = h.vendorRequests(sb);
  assert.strictEqual(reqs.length, 1);
  assert.strictEqual(reqs[0].method, 'POST');
  assert.strictEqual(reqs[0].path, '/sms/send.html');
  assert.deepStrictEqual(reqs[0].form, {
    appId: '10001',
    appSecret: '***', // the sandbox masks it in its log; the reply code 0 proves it matched
    apiUrl: h.API_URL,
    message: '您的验证码为2323，请勿泄露。',
    number: h.NUMBER,
    messageId: 'order-a-1',
    clientIp: '',
  });
  assert.strictEqual(mp.requests.length, 1);
  assert.strictEqual(mp.requests[0].url, sb.url + '/sms/send.html');
  assert.match(String(mp.requests[0].header['Content-Type']), /^application\/x-www-form-urlencoded/);

  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => [m.message, m.messageId, m.appId]), [['您的验证码为2323，请勿泄露。', 'order-a-1', '10001']]);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('A: send without a messageId (three arguments) sends an empty messageId', async (t) => {
  const { mp, page } = openPage(t);
  page.setData({ phone: '15811112222', message: '您的快递已到。' });
  page.sendSms();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  assert.strictEqual(page.data.sendResult.code, 0);
  const form = h.vendorRequests(sb)[0].form;
  assert.strictEqual(form.messageId, '');
  assert.strictEqual(form.number, '15811112222');
  assert.deepStrictEqual(sb.inbox('15811112222').map((m) => m.messageId), [null]);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('A: balance(cb) gives the number of messages left, and one send spends one', async (t) => {
  const { mp, page } = openPage(t);
  page.getBalance();
  await h.waitFor(() => page.data.balance !== null, 'the balance callback');
  assert.strictEqual(page.data.balance, 1000);

  page.setData({ phone: h.NUMBER, message: '余额测试。', balance: null });
  page.sendSms();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  page.getBalance();
  await h.waitFor(() => page.data.balance !== null, 'the second balance callback');
  assert.strictEqual(page.data.balance, 999);

  const paths = h.vendorRequests(sb).map((r) => r.path);
  assert.deepStrictEqual(paths, ['/sms/balance.html', '/sms/send.html', '/sms/balance.html']);
  assert.deepStrictEqual(h.vendorRequests(sb)[0].form, { appId: '10001', appSecret: '***', apiUrl: h.API_URL });
  assert.strictEqual(page.data.error, '');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('A: findSmsByMessageId(cb, messageId) after a send finds the record; an unknown id gives {}', async (t) => {
  const { mp, page } = openPage(t);
  page.setData({ phone: h.NUMBER, message: '查询测试：您的验证码为5566。', messageId: 'find-me-1' });
  page.sendSms();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  assert.strictEqual(page.data.sendResult.code, 0);

  page.findSms();
  await h.waitFor(() => page.data.record, 'the find callback');
  const record = page.data.record;
  assert.strictEqual(record.message, '查询测试：您的验证码为5566。');
  assert.strictEqual(record.toNumber, h.NUMBER);
  assert.strictEqual(record.messageId, 'find-me-1');
  assert.strictEqual(record.status, 'success');
  assert.strictEqual(record.appName, '云短信体验');
  assert.match(record.createTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

  const find = h.vendorRequests(sb)[1];
  assert.strictEqual(find.path, '/sms/findSmsByMessageId.html');
  assert.deepStrictEqual(find.form, { appId: '10001', appSecret: '***', apiUrl: h.API_URL, messageId: 'find-me-1' });

  page.setData({ messageId: 'never-sent', record: null });
  page.findSms();
  await h.waitFor(() => page.data.record, 'the second find callback');
  assert.deepStrictEqual(h.plain(page.data.record), {});
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('A: a failed send still gives the page res.data.code and res.data.data (the toast shows the reason)', async (t) => {
  const { mp, page } = openPage(t);
  sb.queueFault({ fault: 'code1000', path: '/sms/send.html' });
  page.setData({ phone: h.NUMBER, message: '失败测试。' });
  page.sendSms();
  await h.waitFor(() => page.data.sendResult, 'the send callback');
  await h.sleep(50);
  assert.deepStrictEqual(h.plain(page.data.sendResult), { code: 1000, data: '系统位置错误' });
  assert.strictEqual(page.data.sendCalls, 1);
  assert.deepStrictEqual(h.plain(mp.toasts).map((x) => [x.title, x.icon]), [['系统位置错误', 'none']]);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('A: init once in app.js onLaunch, send from a page that does not init (one shared client)', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  fs.writeFileSync(
    path.join(mp.root, 'app.js'),
    `var zhenzisms = require('./utils/zhenzisms.js');
App({
  onLaunch: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
  }
});
`,
  );
  h.writePage(
    mp.root,
    'pages/notify/notify',
    `var zhenzisms = require('../../utils/zhenzisms');
Page({
  data: { result: null },
  onLoad: function (query) {
    var that = this;
    zhenzisms.client.send(function (res) {
      that.setData({ result: res.data });
    }, query.phone, '您的订单已发货。');
  }
});
`,
  );
  h.loadSdk(mp, sb);
  mp.launch();
  const page = mp.openPage('pages/notify/notify', { phone: h.NUMBER });
  await h.waitFor(() => page.data.result, 'the send callback');
  assert.deepStrictEqual(h.plain(page.data.result), { code: 0, data: '发送成功' });
  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['您的订单已发货。']);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});
