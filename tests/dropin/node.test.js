'use strict';
// The npm package's browser folder (the drop-in on the web platform), required straight from
// plain Node (no `wx`): it reads the .wasm.br beside it through process.getBuiltinModule and
// talks to the relay with fetch. Real HTTP to the sandbox.

const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const path = require('node:path');
const h = require('./helpers.js');

const zhenzisms = require(path.join(h.DIST_BROWSER, 'zhenzisms.js'));

let sb;
test.before(async () => {
  sb = await h.startSandbox();
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  zhenzisms.client.configure({ relayUrl: sb.url, timeoutMs: 5000 });
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

async function once(start) {
  const r = h.recorder();
  const returned = start(r.cb);
  const res = await r.first;
  await h.sleep(30);
  assert.strictEqual(r.calls.length, 1, 'the callback was called more than once');
  assert.strictEqual(await returned, res);
  return res;
}

test('Node: the web platform loads the wasm from the folder (ready() → true)', async () => {
  assert.strictEqual(typeof globalThis.wx, 'undefined');
  assert.strictEqual(await zhenzisms.client.ready(), true);
  assert.strictEqual(zhenzisms.errorInfo(9101).kind, 'timeout');
  assert.strictEqual(zhenzisms.errorTable().length >= 20, true);
});

test('Node: send, balance and find through the relay, as in a mini-program', async () => {
  const sent = await once((cb) => zhenzisms.client.send(cb, h.NUMBER, 'Node 发送测试。', 'node-1'));
  assert.deepStrictEqual(sent.data, { code: 0, data: '发送成功' });
  assert.strictEqual(sent.statusCode, 200);
  const balance = await once((cb) => zhenzisms.client.balance(cb));
  assert.deepStrictEqual(balance.data, { code: 0, data: 999 });
  const found = await once((cb) => zhenzisms.client.findSmsByMessageId(cb, 'node-1'));
  assert.strictEqual(found.data.data.message, 'Node 发送测试。');
  const reqs = h.vendorRequests(sb);
  assert.deepStrictEqual(reqs.map((r) => r.path), ['/sms/send.html', '/sms/balance.html', '/sms/findSmsByMessageId.html']);
  assert.ok(reqs.every((r) => r.form.apiUrl === h.API_URL && r.form.appId === '10001'));
  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['Node 发送测试。']);
});

test('Node: sendCode + validateCode, and an E-style createCode sent with a template', async () => {
  const sent = await once((cb) => zhenzisms.client.sendCode(cb, { number: '13900139001', message: '验证码{code}，5分钟有效。', length: 5 }));
  assert.strictEqual(sent.data.code, 0);
  const code = h.codeIn(h.lastMessage(sb, '13900139001'), '5');
  assert.strictEqual(zhenzisms.client.validateCode('13900139001', code), 'ok');
  assert.strictEqual(zhenzisms.client.validateCode('13900139001', code), 'code_used');

  const created = zhenzisms.client.createCode(6, 60, '13900139002');
  const res = await once((cb) => zhenzisms.client.send(cb, { templateId: '1001', templateParams: [created, '1'], number: '13900139002' }));
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(h.vendorRequests(sb).pop().path, '/sms/v2/send.html');
  assert.strictEqual(h.lastMessage(sb, '13900139002'), `您的验证码为${created}，1分钟内有效。【云短信体验】`);
  assert.strictEqual(zhenzisms.client.validateCode('13900139002', created), 'ok');
});

test('Node: refused input sends nothing; server codes and transport failures reach res.data.code once', async () => {
  const bad = await once((cb) => zhenzisms.client.send(cb, '1380013800a', '你好。'));
  assert.strictEqual(bad.data.code, 100);
  assert.ok(bad.error instanceof zhenzisms.ZhenziError);
  assert.strictEqual(h.vendorRequests(sb).length, 0);

  sb.queueFault({ fault: 'http502' });
  const e502 = await once((cb) => zhenzisms.client.send(cb, h.NUMBER, '你好。'));
  assert.strictEqual(e502.data.code, 9102);
  assert.strictEqual(e502.statusCode, 502);

  sb.queueFault({ fault: 'nonjson' });
  assert.strictEqual((await once((cb) => zhenzisms.client.balance(cb))).data.code, 9103);

  sb.queueFault({ fault: 'reset' });
  const reset = await once((cb) => zhenzisms.client.balance(cb));
  assert.strictEqual(reset.data.code, 9100);
  assert.strictEqual(reset.error.kind, 'network');

  sb.queueFault({ fault: 'code1000' });
  assert.deepStrictEqual((await once((cb) => zhenzisms.client.balance(cb))).data, { code: 1000, data: '系统位置错误' });
});

test('Node: timeoutMs applies to fetch (9101), and a closed relay port is 9100', async (t) => {
  t.after(() => zhenzisms.client.configure({ relayUrl: sb.url, timeoutMs: 5000 }));
  zhenzisms.client.configure({ timeoutMs: 300 });
  sb.queueFault({ fault: 'hang' });
  const began = Date.now();
  const hung = await once((cb) => zhenzisms.client.send(cb, h.NUMBER, '超时测试。'));
  assert.strictEqual(hung.data.code, 9101);
  assert.ok(Date.now() - began < 2000);

  const closed = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
  zhenzisms.client.configure({ relayUrl: closed });
  const refused = await once((cb) => zhenzisms.client.balance(cb));
  assert.strictEqual(refused.data.code, 9100);
});

test('Node: the Promise API (ZhenziClient) from the same folder', async () => {
  const ok = new zhenzisms.ZhenziClient({ appId: '10001', appSecret: 'sandbox-secret-10001', relayUrl: sb.url });
  assert.strictEqual(await ok.send({ number: h.NUMBER, message: 'Promise 测试。' }), '发送成功');
  assert.strictEqual(await ok.balance(), 999);
  const empty = new zhenzisms.ZhenziClient({ appId: '10005', appSecret: 'sandbox-secret-10005', relayUrl: sb.url });
  await assert.rejects(empty.send({ number: h.NUMBER, message: '余额为零。' }), (e) => e instanceof zhenzisms.ZhenziError && e.code === 108 && e.kind === 'account');
  assert.ok(!String(ok).includes('sandbox-secret'));
});
