'use strict';
// Drop-in fidelity (issue 11): pages written the way vendor users write them work unchanged.
// No test here calls client.ready(): real pages never did. They require the SDK when the page
// loads, and a tap comes a moment later (mp.pending(): the page's async start-up is over).

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const h = require('./helpers.js');

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

// An E page as published: init inside the tap handler, createCode at once, a template send.
const E_PAGE = (sdkPath) => `
var zhenzisms = require('${sdkPath}');
Page({
  data: { phone: '', code: '', sent: null, result: '' },
  getCode: function () {
    var that = this;
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    zhenzisms.client.configure({ relayUrl: getApp().relay });
    var code = zhenzisms.client.createCode(4, 60, this.data.phone);
    zhenzisms.client.send(function (res) {
      that.setData({ sent: res.data });
    }, { templateId: '1001', templateParams: [code, '5分钟'], number: this.data.phone });
  },
  submit: function () {
    this.setData({ result: zhenzisms.client.validateCode(this.data.phone, this.data.code) });
  }
});
`;

// A mini-program with the SDK files in `dir` (and the wasm in `wasmDir`, default the same),
// an app.js holding the relay URL, and the E page.
function layout(t, dir, wasmDir = dir) {
  const root = h.makeRoot(t);
  fs.renameSync(path.join(root, 'utils'), path.join(root, 'moved'));
  for (const name of fs.readdirSync(path.join(root, 'moved'))) {
    const to = name.endsWith('.wasm.br') ? wasmDir : dir;
    fs.mkdirSync(path.join(root, to), { recursive: true });
    fs.renameSync(path.join(root, 'moved', name), path.join(root, to, name));
  }
  fs.rmSync(path.join(root, 'moved'), { recursive: true });
  fs.writeFileSync(path.join(root, 'app.js'), `App({ relay: '${sb.url}' });`);
  const sdk = path.posix.relative('pages/login', path.posix.join(dir, 'zhenzisms.js'));
  h.writePage(root, 'pages/login/login', E_PAGE(sdk.startsWith('.') ? sdk : './' + sdk));
  return root;
}

// Launches, opens the page (require happens here), lets start-up settle, then taps.
async function tapGetCode(t, root, options = {}) {
  const mp = h.openMiniProgram(t, sb, Object.assign({ root }, options));
  mp.launch();
  const page = mp.openPage('pages/login/login');
  await mp.pending();
  page.setData({ phone: h.NUMBER });
  page.getCode();
  await h.waitFor(() => page.data.sent, 'the send callback');
  return { mp, page };
}

test('E page: init + createCode in the tap handler, no ready(): a code is made and sent', async (t) => {
  const { mp, page } = await tapGetCode(t, layout(t, 'utils'));
  assert.deepStrictEqual(h.plain(page.data.sent), { code: 0, data: '发送成功' });
  const code = h.codeIn(h.lastMessage(sb), '4');
  assert.match(code, /^\d{4}$/);
  page.setData({ code });
  page.submit();
  assert.strictEqual(page.data.result, 'ok');
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('require → ready and the CSPRNG pool, measured in the simulator (printed)', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const t0 = performance.now();
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  const required = performance.now();
  const allAt = await zhenzisms.ready().then(() => performance.now());
  // The pool is full now: a code needs no wait.
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  assert.match(zhenzisms.client.createCode(6, 60, h.NUMBER), /^\d{6}$/);
  const line = `require ${(required - t0).toFixed(1)} ms; require → wasm + CSPRNG pool ready ${(allAt - t0).toFixed(1)} ms`;
  t.diagnostic(line);
  console.log(`# [fidelity] ${line}`);
});

test('a restart between send and validate: a page that never calls init validates from storage', async (t) => {
  const first = await tapGetCode(t, layout(t, 'utils'));
  const code = h.codeIn(h.lastMessage(sb), '4');
  // The mini-program is killed and started again: only storage survives.
  const root = layout(t, 'utils');
  h.writePage(root, 'pages/verify/verify', `
var zhenzisms = require('../../utils/zhenzisms.js');
Page({
  data: { result: '' },
  check: function (phone, code) { this.setData({ result: zhenzisms.client.validateCode(phone, code) }); }
});`);
  const again = h.openMiniProgram(t, sb, { root, storage: Object.fromEntries(first.mp.storage) });
  const page = again.openPage('pages/verify/verify');
  await again.pending();
  page.check(h.NUMBER, code === '0000' ? '0001' : '0000');
  assert.strictEqual(page.data.result, 'code_error');
  page.check(h.NUMBER, code);
  assert.strictEqual(page.data.result, 'ok');
  assert.strictEqual(again.errors.length, 0, String(again.errors[0]));
});

test('a tap before the wasm is in: createCode throws the documented 9104, a send is answered once', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  assert.throws(() => zhenzisms.client.createCode(4, 60, h.NUMBER), (e) => e instanceof zhenzisms.ZhenziError && e.code === 9104 && /^SDK 未就绪/.test(e.message));
  const r = h.recorder();
  zhenzisms.client.send(r.cb, h.NUMBER, '早到的短信。');
  await r.first;
  await h.sleep(30);
  assert.strictEqual(r.calls.length, 1);
  assert.strictEqual(r.calls[0].data.code, 0);
});

// Where published projects keep the SDK, no configure({wasmPath}) anywhere.
for (const dir of ['util', 'common', 'lib', 'pages/utils', '.']) {
  test(`the SDK in /${dir === '.' ? '' : dir + '/'} with the wasm beside it: found without configuration`, async (t) => {
    const { mp, page } = await tapGetCode(t, layout(t, dir));
    assert.deepStrictEqual(h.plain(page.data.sent), { code: 0, data: '发送成功' });
    assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
  });
}

test('a uni-app build: the JS in /common/, the .wasm.br only in /static/ (all uni-app copies verbatim)', async (t) => {
  const root = layout(t, 'common', 'static');
  assert.ok(!fs.existsSync(path.join(root, 'common/zhenzisms_bg.wasm.br')));
  const { mp, page } = await tapGetCode(t, root);
  assert.deepStrictEqual(h.plain(page.data.sent), { code: 0, data: '发送成功' });
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('the .wasm.br dropped from a uni-app build: 9104 in the callback, naming static/ among the paths tried', async (t) => {
  const root = layout(t, 'common');
  fs.rmSync(path.join(root, 'common/zhenzisms_bg.wasm.br'));
  const mp = h.openMiniProgram(t, sb, { root });
  const zhenzisms = mp.require('/common/zhenzisms.js');
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const r = h.recorder();
  zhenzisms.client.send(r.cb, h.NUMBER, '找不到 wasm。');
  const res = await r.first;
  assert.strictEqual(res.data.code, 9104);
  assert.match(res.error.detail, /\/static\/zhenzisms_bg\.wasm\.br/);
  assert.match(res.error.detail, /\/common\/zhenzisms_bg\.wasm\.br/);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
});

// ---- Input the server accepts: sent as written, with a one-time development warning ----

function warnings(mp) {
  return mp.logs.filter((l) => l.level === 'warn').map((l) => l.text);
}

async function loaded(t, options) {
  const mp = h.openMiniProgram(t, sb, options);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  await mp.pending();
  return { mp, zhenzisms };
}

test("what pages pass and the server accepts is sent as written: clientIp '10', a numeric messageId, [] templateParams, a sendCode text without {code}", async (t) => {
  const { mp, zhenzisms } = await loaded(t, { envVersion: 'develop' });
  const c = zhenzisms.client;
  const results = [];
  const cb = (res) => results.push(res.data.code);
  await c.send(cb, { number: h.NUMBER, message: '一号。', clientIp: '10' });
  await c.send(cb, { number: h.NUMBER, message: '二号。', messageId: 20240601 });
  await c.send(cb, { number: h.NUMBER, templateId: '1001', templateParams: [] });
  await c.sendCode(cb, { number: '13900139000', message: '您的验证码为8888，请勿泄露。' });
  await c.send(cb, { number: h.NUMBER, message: '三号。', clientIp: 'localhost', messageId: 7 }); // the same kinds again
  // Template 1001 has {1} and {2}: with no parameters it is the server that answers 100.
  assert.deepStrictEqual(results, [0, 0, 100, 0, 0]);
  assert.strictEqual(h.vendorRequests(sb).length, 5, 'every call reached the server');
  const forms = h.vendorRequests(sb).map((r) => r.form);
  assert.strictEqual(forms[0].clientIp, '10');
  assert.strictEqual(forms[1].messageId, '20240601');
  assert.strictEqual(forms[2].templateParams, '[]');
  assert.strictEqual(forms[3].message, '您的验证码为8888，请勿泄露。');
  assert.strictEqual(h.lastMessage(sb, '13900139000'), '您的验证码为8888，请勿泄露。');
  // One warning per kind, Chinese first then English.
  const w = warnings(mp).filter((text) => !/appSecret/.test(text));
  assert.strictEqual(w.length, 4, w.join('\n'));
  for (const [i, word] of ['clientIp', 'messageId', 'templateParams', '{code}'].entries()) {
    assert.ok(w[i].includes(word), w[i]);
    const zh = w[i].search(/[\u4e00-\u9fff]/);
    assert.ok(zh > 0 && zh < w[i].indexOf(' / ') && /[a-z]{3}/.test(w[i].slice(w[i].indexOf(' / '))), w[i]);
  }
});

test('a release build sends the same input without a word', async (t) => {
  const { mp, zhenzisms } = await loaded(t, { envVersion: 'release' });
  const res = await zhenzisms.client.send(null, { number: h.NUMBER, message: '安静。', clientIp: '10', messageId: 1 });
  assert.strictEqual(res.data.code, 0);
  assert.deepStrictEqual(warnings(mp), []);
});

test("one rule for template send: templateId '' beside a message is a text send in client.send and ZhenziClient.send", async (t) => {
  const { zhenzisms } = await loaded(t);
  const res = await zhenzisms.client.send(null, { number: h.NUMBER, message: '文本一。', templateId: '' });
  assert.strictEqual(res.data.code, 0);
  const sms = new zhenzisms.ZhenziClient({ appId: '10001', appSecret: 'sandbox-secret-10001', relayUrl: sb.url, retries: 0 });
  assert.strictEqual(await sms.send({ number: h.NUMBER, message: '文本二。', templateId: '' }), '发送成功');
  await zhenzisms.client.send(null, { number: h.NUMBER, templateId: '1001', templateParams: ['1234', '5'] });
  await sms.send({ number: h.NUMBER, templateId: 1001, templateParams: ['5678', '5'] });
  assert.deepStrictEqual(h.vendorRequests(sb).map((r) => r.path), ['/sms/send.html', '/sms/send.html', '/sms/v2/send.html', '/sms/v2/send.html']);
  await assert.rejects(sms.send({ number: h.NUMBER, templateId: '' }), (e) => e.code === 100 && /message is empty/.test(e.detail));
});

// ---- wx habits ----

test('options objects with success / fail / complete: each called once, the SMS sent', async (t) => {
  const { mp, zhenzisms } = await loaded(t);
  const c = zhenzisms.client;
  const seen = [];
  const hooks = (name) => ({
    success: (res) => seen.push([name, 'success', res.data.code]),
    fail: (res) => seen.push([name, 'fail', res.data.code]),
    complete: (res) => seen.push([name, 'complete', res.data.code]),
  });
  const returned = await Promise.all([
    c.send(Object.assign({ number: h.NUMBER, message: '钩子。', messageId: 'hook-1' }, hooks('send'))),
    c.send(Object.assign({ number: '123', message: '坏号码。' }, hooks('bad'))),
    c.sendCode(Object.assign({ number: '13900139000', message: '码{code}' }, hooks('sendCode'))),
  ]);
  await Promise.all([c.balance(hooks('balance')), c.findSmsByMessageId(Object.assign({ messageId: 'hook-1' }, hooks('find')))]);
  await h.sleep(30);
  assert.deepStrictEqual(seen.sort(), [
    ['bad', 'complete', 100], ['bad', 'fail', 100],
    ['balance', 'complete', 0], ['balance', 'success', 0],
    ['find', 'complete', 0], ['find', 'success', 0],
    ['send', 'complete', 0], ['send', 'success', 0],
    ['sendCode', 'complete', 0], ['sendCode', 'success', 0],
  ].sort());
  assert.deepStrictEqual(returned.map((r) => r.data.code), [0, 100, 0]);
  assert.strictEqual(h.lastMessage(sb), '钩子。');
  assert.match(h.lastMessage(sb, '13900139000'), /^码\d{6}$/);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('no callback at all: the Promise resolves to the result, or rejects with a ZhenziError', async (t) => {
  const { zhenzisms } = await loaded(t);
  const c = zhenzisms.client;
  assert.strictEqual((await c.send(h.NUMBER, '无回调。')).data.code, 0);
  assert.strictEqual((await c.send({ number: h.NUMBER, message: '对象无回调。' })).data.code, 0);
  assert.strictEqual((await c.balance()).data.code, 0);
  const e = await c.send('12', '坏号码。').then(() => null, (err) => err);
  assert.ok(e instanceof zhenzisms.ZhenziError, String(e));
  assert.strictEqual(e.code, 100);
  assert.match(e.message, /^参数格式错误 \/ a parameter is empty or malformed/);
  c.init(h.API_URL, '10001', 'not-the-secret');
  await assert.rejects(c.balance(), (err) => err instanceof zhenzisms.ZhenziError && err.code === 110);
  // With a callback (or null) the Promise still resolves, as before.
  assert.strictEqual((await c.balance(null)).data.code, 110);
});

// An old page moved to cloud mode keeps `validateCode(number, code) == 'ok'`: the sync form
// answers a failure at once and never reaches the function (which would use the code up), and a
// development build says, as an error, which form to write instead.
test('cloud mode: the sync validateCode(number, code) answers not_checked at once, calls nothing, and names the callback form', async (t) => {
  const mp = h.openMiniProgram(t, sb, { envVersion: 'develop' });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  mp.run(`wx.cloud.callFunction = (function (f) {
    return function (o) { globalThis.cloudCalls = (globalThis.cloudCalls || 0) + 1; return f(o); };
  })(wx.cloud.callFunction)`);
  zhenzisms.client.initCloud({ name: 'no-such-function' });
  assert.strictEqual(zhenzisms.client.validateCode(h.NUMBER, '1234'), 'not_checked');
  assert.strictEqual(zhenzisms.client.validateCode(h.NUMBER, '1234'), 'not_checked');
  assert.strictEqual(zhenzisms.client.validateCode('1234'), 'error'); // version B's form
  await mp.pending();
  assert.strictEqual(mp.run('globalThis.cloudCalls || 0'), 0);
  const e = mp.logs.filter((l) => l.level === 'error' && /validateCode/.test(l.text)).map((l) => l.text);
  assert.strictEqual(e.length, 1, e.join('\n'));
  assert.match(e[0], /validateCode\(function \(result, verified\)/);
  assert.match(e[0], /validateCode\(\{number, code\}\)/);
});

// ---- Bad input: a typed error through the one callback, or a rejected Promise ----

function hostile(mp) {
  return mp.run(`({
    getter: { number: '13800138000', get message() { throw new Error('boom'); } },
    cyclic: (function () { var o = { number: '13800138000', message: 'x' }; o.self = o; return o; })(),
    unprintable: { toString: function () { throw new Error('no text'); } }
  })`);
}

test('hostile arguments: a typed 100 once through the callback, or a rejected ZhenziError; never a TypeError, never a send', async (t) => {
  const { mp, zhenzisms } = await loaded(t);
  const c = zhenzisms.client;
  const bad = hostile(mp);
  const calls = [
    (cb) => c.send(cb, bad.getter),
    (cb) => c.send(cb, bad.cyclic),
    (cb) => c.sendCode(cb, bad.cyclic),
    (cb) => c.send(cb, h.NUMBER, '\ud800'),
    (cb) => c.findSmsByMessageId(cb, bad.getter),
    (cb) => c.send(cb, { number: h.NUMBER, templateId: '1001', templateParams: [bad.cyclic] }),
  ];
  for (const call of calls) {
    const r = h.recorder();
    const res = await call(r.cb);
    await h.sleep(10);
    assert.strictEqual(r.calls.length, 1, String(call));
    assert.strictEqual(res.data.code, 100, String(call));
    assert.ok(res.error instanceof zhenzisms.ZhenziError, String(call));
  }
  for (const args of [[bad.getter], [bad.cyclic], [h.NUMBER, '\ud800']]) {
    await assert.rejects(c.send(...args), (e) => e instanceof zhenzisms.ZhenziError && e.code === 100);
  }
  assert.throws(() => c.createCode(4, 60, bad.unprintable), (e) => e instanceof zhenzisms.ZhenziError && e.code === 100);
  assert.throws(() => c.validateCode(bad.unprintable, '1234'), (e) => e instanceof zhenzisms.ZhenziError && e.code === 100);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('numbers as numbers and a BigInt number are sent as their digits', async (t) => {
  const { zhenzisms } = await loaded(t);
  const c = zhenzisms.client;
  assert.strictEqual((await c.send(null, 13800138000, '数字号码。')).data.code, 0);
  assert.strictEqual((await c.send(null, { number: BigInt('13800138000'), message: '大整数号码。' })).data.code, 0);
  assert.strictEqual((await c.send(null, { number: 13800138000, templateId: 1001, templateParams: [1234, 5] })).data.code, 0);
  assert.deepStrictEqual(h.vendorRequests(sb).map((r) => r.form.number), [h.NUMBER, h.NUMBER, h.NUMBER]);
  assert.strictEqual(h.vendorRequests(sb)[2].form.templateParams, '["1234","5"]');
});
