'use strict';
// Every error code reaches the page as res.data.code, with res.error a ZhenziError. Input the
// server surely refuses (100, 101) is refused before anything is sent: no request may reach the
// sandbox (what it accepts is sent as written: fidelity.test.js). Everything else comes from the sandbox's apps and faults, over real HTTP.

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const h = require('./helpers.js');

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

// A mini-program whose SDK is initialised with `app` (and `apiUrl`) and loaded.
async function sdkFor(t, app = h.APPS.ok, apiUrl = h.API_URL) {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(apiUrl, app.appId, app.appSecret);
  await zhenzisms.client.ready();
  return { mp, zhenzisms };
}

// Runs `start(cb)`, waits for its callback and a little longer; asserts it came exactly once.
async function once(start) {
  const r = h.recorder();
  const returned = start(r.cb);
  const res = await r.first;
  await h.sleep(30);
  assert.strictEqual(r.calls.length, 1, 'the callback was called more than once');
  assert.strictEqual(await returned, res, 'the returned Promise does not resolve to what the callback got');
  return res;
}

function assertError(zhenzisms, res, code, kind) {
  assert.strictEqual(res.data.code, code);
  const e = res.error;
  assert.ok(e instanceof zhenzisms.ZhenziError, 'res.error is not a ZhenziError');
  assert.strictEqual(e.name, 'ZhenziError');
  assert.strictEqual(e.code, code);
  assert.strictEqual(e.kind, kind);
  const info = zhenzisms.errorInfo(code);
  assert.strictEqual(e.reason, info.reason);
  assert.strictEqual(e.solution, info.solution);
  assert.strictEqual(e.retriable, info.retriable);
  assert.ok(e.reason && e.solution && e.message, 'reason, solution and message must be non-empty');
  assert.strictEqual(typeof e.retriable, 'boolean');
}

const LETTERS = '1380013800a';
const REFUSED = [
  ['a number with a letter', (z, cb) => z.client.send(cb, LETTERS, '您好，测试。'), 100],
  ['a 10-digit number', (z, cb) => z.client.send(cb, '1380013800', '您好，测试。'), 100],
  ['a 12-digit number', (z, cb) => z.client.send(cb, '138001380001', '您好，测试。'), 100],
  ['a number starting 12', (z, cb) => z.client.send(cb, '12800138000', '您好，测试。'), 100],
  ['an empty number', (z, cb) => z.client.send(cb, '', '您好，测试。'), 100],
  ['an empty message', (z, cb) => z.client.send(cb, h.NUMBER, ''), 100],
  ['a blank message', (z, cb) => z.client.send(cb, h.NUMBER, '  \n '), 100],
  ['a 1001-character message', (z, cb) => z.client.send(cb, h.NUMBER, '验'.repeat(1001)), 101],
  ['D: an object with a bad number', (z, cb) => z.client.send(cb, { number: 'abc', message: '您好。' }), 100],
  ['E: templateParams that are not strings', (z, cb) => z.client.send(cb, { number: h.NUMBER, templateId: '1001', templateParams: [true] }), 100],
  ['E: a template send with a bad number', (z, cb) => z.client.send(cb, { number: '110', templateId: '1001', templateParams: ['1'] }), 100],
  ['find with an empty messageId', (z, cb) => z.client.findSmsByMessageId(cb, ''), 100],
  ['E: an empty templateId and no message', (z, cb) => z.client.send(cb, { number: h.NUMBER, templateId: '', templateParams: ['1'] }), 100],
  ['E: a message that is a lone surrogate', (z, cb) => z.client.send(cb, h.NUMBER, '\ud800'), 100],
  ['sendCode to a bad number', (z, cb) => z.client.sendCode(cb, LETTERS, '验证码{code}'), 100],
];

for (const [what, call, code] of REFUSED) {
  test(`refused before sending: ${what} → ${code}, and no request leaves`, async (t) => {
    const { mp, zhenzisms } = await sdkFor(t);
    const res = await once((cb) => call(zhenzisms, cb));
    assertError(zhenzisms, res, code, 'input');
    // Where vendor pages look, one Chinese sentence: why, then what to do (errorInfo says the same).
    const info = zhenzisms.errorInfo(code);
    assert.strictEqual(res.data.data, info.reason + '。' + info.solution);
    assert.strictEqual(res.statusCode, 0);
    assert.match(res.errMsg, /^request:fail /);
    assert.strictEqual(mp.requests.length, 0, 'wx.request was called');
    assert.strictEqual(h.vendorRequests(sb).length, 0, 'the sandbox received a request');
    assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
  });
}

test('a 1000-character message is not refused (101 starts at 1001)', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  const res = await once((cb) => zhenzisms.client.send(cb, h.NUMBER, '验'.repeat(1000)));
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(res.error, undefined);
  assert.strictEqual(h.lastMessage(sb), '验'.repeat(1000));
});

test('a refused sendCode leaves no code record behind', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  await once((cb) => zhenzisms.client.sendCode(cb, LETTERS, '验证码{code}'));
  assert.strictEqual(mp.storage.has('sms_code'), false);
  assert.strictEqual(zhenzisms.client.validateCode(h.NUMBER, '123456'), 'empty');
});

// [what, app, call, code, server text, kind]
const SEND = (z, cb) => z.client.send(cb, h.NUMBER, '您的验证码为1234。');
const BALANCE = (z, cb) => z.client.balance(cb);
const SERVER = [
  ['an unknown appId', { appId: '99999', appSecret: 'whatever' }, SEND, 105, 'appId错误或应用不存在', 'auth'],
  ['a banned app', h.APPS.banned, SEND, 106, '应用被禁止', 'auth'],
  ['an app with an IP whitelist', h.APPS.ipWhitelist, SEND, 107, 'ip错误', 'auth'],
  ['an app with no balance', h.APPS.noBalance, SEND, 108, '短信余额不足', 'account'],
  ['a wrong appSecret', { appId: '10001', appSecret: 'wrong-secret' }, SEND, 110, '应用秘钥(AppSecret)错误', 'auth'],
  ['an app without an account', h.APPS.noAccount, SEND, 111, '账号不存在', 'auth'],
  ['balance of an app without an account', h.APPS.noAccount, BALANCE, 105, 'appId错误或应用不存在', 'auth'],
  ['balance with a wrong appSecret', { appId: '10001', appSecret: 'wrong-secret' }, BALANCE, 110, '应用秘钥(AppSecret)错误', 'auth'],
  ['a template that is not approved', h.APPS.ok, (z, cb) => z.client.send(cb, { templateId: '1002', templateParams: ['A1'], number: h.NUMBER }), 117, 'templateId错误，或者模板未审核', 'input'],
];

for (const [what, app, call, code, text, kind] of SERVER) {
  test(`server code ${code} (${what}) reaches res.data.code`, async (t) => {
    const { mp, zhenzisms } = await sdkFor(t, app);
    const res = await once((cb) => call(zhenzisms, cb));
    assert.deepStrictEqual(h.plain(res.data), { code, data: text });
    assertError(zhenzisms, res, code, kind);
    assert.strictEqual(res.statusCode, 200);
    assert.strictEqual(res.errMsg, 'request:ok');
    const reqs = h.vendorRequests(sb);
    assert.strictEqual(reqs.length, 1);
    assert.strictEqual(reqs[0].code, code, 'the sandbox did not give this code');
    assert.strictEqual(reqs[0].form.appId, app.appId);
    assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
  });
}

test('server code 109: the third send to one number on an app capped at 2 a day', async (t) => {
  const { zhenzisms } = await sdkFor(t, h.APPS.dailyCap);
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await once((cb) => SEND(zhenzisms, cb))).data.code);
  assert.deepStrictEqual(codes, [0, 0, 109]);
  const res = await once((cb) => SEND(zhenzisms, cb));
  assert.deepStrictEqual(h.plain(res.data), { code: 109, data: '今日发送超过限额' });
  assertError(zhenzisms, res, 109, 'limit');
  // Another number is not capped.
  const other = await once((cb) => zhenzisms.client.send(cb, '13900139000', '您的验证码为1234。'));
  assert.strictEqual(other.data.code, 0);
});

test('server code 1000 on send and on balance; it is marked retriable', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'code1000', count: 2 });
  for (const call of [SEND, BALANCE]) {
    const res = await once((cb) => call(zhenzisms, cb));
    assert.deepStrictEqual(h.plain(res.data), { code: 1000, data: '系统位置错误' });
    assertError(zhenzisms, res, 1000, 'server');
    assert.strictEqual(res.error.retriable, true);
  }
  assert.strictEqual(sb.inbox(h.NUMBER).length, 0);
});

test('server code 100: the relay refuses an apiUrl it does not serve (the SDK forwards what init got)', async (t) => {
  const { zhenzisms } = await sdkFor(t, h.APPS.ok, 'https://sms.example.com');
  const res = await once((cb) => SEND(zhenzisms, cb));
  assert.deepStrictEqual(h.plain(res.data), { code: 100, data: '参数格式错误' });
  assertError(zhenzisms, res, 100, 'input');
  assert.strictEqual(res.statusCode, 200);
  const reqs = h.vendorRequests(sb);
  assert.strictEqual(reqs.length, 1);
  assert.strictEqual(reqs[0].form.apiUrl, 'https://sms.example.com');
});

test('the enterprise apiUrl is forwarded as given and accepted', async (t) => {
  const { zhenzisms } = await sdkFor(t, h.APPS.ok, 'https://sms.zhenzikj.com');
  const res = await once((cb) => SEND(zhenzisms, cb));
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(h.vendorRequests(sb)[0].form.apiUrl, 'https://sms.zhenzikj.com');
});

test('init with an apiUrl that is not https is a config error (9001), nothing is sent', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t, h.APPS.ok, 'http://sms_developer.zhenzikj.com');
  const res = await once((cb) => SEND(zhenzisms, cb));
  assertError(zhenzisms, res, 9001, 'config');
  assert.strictEqual(mp.requests.length, 0);
});

test('a call before init is a config error (9001) with a readable res.data.code; nothing is sent', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  const res = await once((cb) => SEND(zhenzisms, cb));
  assertError(zhenzisms, res, 9001, 'config');
  assert.strictEqual(res.data.data, 'SDK 配置错误。' + zhenzisms.errorInfo(9001).solution);
  assert.match(res.error.detail, /appId/);
  assert.strictEqual(mp.requests.length, 0);
});

// A code the vendor never documented, from a stand-in relay (real HTTP): the page sees the
// server's own {code, data}; res.error says the SDK does not know it.
test('an unknown server code reaches res.data.code unchanged', async (t) => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end('{"code":123,"data":"新的错误"}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${server.address().port}`;
  const mp = h.openMiniProgram(t, sb, { requestDomains: [url] });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  zhenzisms.client.configure({ relayUrl: url });
  const res = await once((cb) => SEND(zhenzisms, cb));
  assert.deepStrictEqual(h.plain(res.data), { code: 123, data: '新的错误' });
  assert.ok(res.error instanceof zhenzisms.ZhenziError);
  assert.strictEqual(res.error.code, 123);
  assert.strictEqual(res.error.kind, 'server');
  assert.strictEqual(typeof res.error.reason, 'string');
  assert.strictEqual(typeof res.error.retriable, 'boolean');
});
