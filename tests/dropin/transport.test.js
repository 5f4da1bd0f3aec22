'use strict';
// Transport failures in the mini-program: whatever goes wrong between wx.request and the
// relay, the page's callback is called exactly once with a readable res.data.code (the vendor
// SDK left res.data undefined, so `res.data.code` threw), and nothing throws.

const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const h = require('./helpers.js');

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

async function sdkFor(t, options) {
  const mp = h.openMiniProgram(t, sb, options);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  await zhenzisms.client.ready();
  return { mp, zhenzisms };
}

// Calls start(cb) the way a page does, reading res.data.code inside the callback; waits for
// the callback, then until `quietUntil` ms after the start, so a late second call would show.
async function pageCall(start, quietUntil = 100) {
  const began = Date.now();
  const seen = [];
  let resolveFirst;
  const first = new Promise((resolve) => (resolveFirst = resolve));
  const returned = start(function (res) {
    seen.push({ code: res.data.code, data: res.data.data, at: Date.now() - began }); // throws if res.data is missing
    resolveFirst(res);
  });
  const res = await first;
  const rest = quietUntil - (Date.now() - began);
  await h.sleep(Math.max(rest, 50));
  assert.strictEqual(seen.length, 1, `the callback was called ${seen.length} times: ${JSON.stringify(seen)}`);
  assert.strictEqual(await returned, res);
  return { res, ms: seen[0].at };
}

function assertFailure(zhenzisms, res, code, kind) {
  assert.strictEqual(typeof res.data, 'object');
  assert.strictEqual(res.data.code, code);
  assert.strictEqual(res.data.data, zhenzisms.errorInfo(code).reason);
  assert.ok(res.error instanceof zhenzisms.ZhenziError);
  assert.strictEqual(res.error.code, code);
  assert.strictEqual(res.error.kind, kind);
  assert.strictEqual(res.error.retriable, true);
}

const send = (zhenzisms) => (cb) => zhenzisms.client.send(cb, h.NUMBER, '您的验证码为1234。');

test('HTTP 502 from the relay → 9102, statusCode 502, nothing delivered', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'http502', path: '/sms/send.html' });
  const { res } = await pageCall(send(zhenzisms));
  assertFailure(zhenzisms, res, 9102, 'http');
  assert.strictEqual(res.statusCode, 502);
  assert.strictEqual(res.error.detail, 'HTTP 502');
  assert.strictEqual(h.vendorRequests(sb).length, 1);
  assert.strictEqual(sb.inbox(h.NUMBER).length, 0);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('an HTML page with status 200 → 9103', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'nonjson' });
  const { res } = await pageCall(send(zhenzisms));
  assertFailure(zhenzisms, res, 9103, 'reply');
  assert.strictEqual(res.statusCode, 200);
  assert.match(res.error.detail, /HTML/);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('an empty body with status 200 → 9103', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'empty' });
  const { res } = await pageCall(send(zhenzisms));
  assertFailure(zhenzisms, res, 9103, 'reply');
  assert.match(res.error.detail, /empty/);
});

test('a reply cut off by a connection reset → 9100, errMsg as wx.request gave it', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'reset' });
  const { res } = await pageCall(send(zhenzisms));
  assertFailure(zhenzisms, res, 9100, 'network');
  assert.strictEqual(res.statusCode, 0);
  assert.match(res.errMsg, /^request:fail /);
  assert.doesNotMatch(res.errMsg, /request:fail request:fail/);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

// wx.request's timeout on a clock the test moves (the simulator's `clock`): the page hears 9101
// when that clock passes timeoutMs, and not before, whatever the machine's load.
function movedClock() {
  let id = 0;
  const timers = new Map();
  return {
    setTimeout: (fn, ms) => (timers.set(++id, { fn, ms }), id),
    clearTimeout: (i) => timers.delete(i),
    // Fires every timer of at most `ms` (each request has one: its timeout).
    advance(ms) {
      for (const [i, t] of [...timers]) if (t.ms <= ms) timers.delete(i) && t.fn();
    },
    timers,
  };
}

test('a relay that never answers → 9101 after timeoutMs (300 ms), not the 10 s default', async (t) => {
  const clock = movedClock();
  const { mp, zhenzisms } = await sdkFor(t, { clock });
  zhenzisms.client.configure({ timeoutMs: 300 });
  sb.queueFault({ fault: 'hang' });
  const r = h.recorder();
  const returned = send(zhenzisms)(r.cb);
  await h.waitFor(() => clock.timers.size === 1 && sb.requests.length === 1);
  assert.strictEqual(mp.requests[0].timeout, 300);
  clock.advance(299);
  await h.sleep(50);
  assert.strictEqual(r.calls.length, 0, 'answered before its timeout');
  clock.advance(300);
  const res = await returned;
  await h.sleep(30);
  assert.strictEqual(r.calls.length, 1);
  assertFailure(zhenzisms, res, 9101, 'timeout');
  assert.strictEqual(res.errMsg, 'request:fail timeout');
});

test('a reply slower than timeoutMs → 9101 once, and the late reply does not call back again', async (t) => {
  const clock = movedClock();
  const { zhenzisms } = await sdkFor(t, { clock });
  zhenzisms.client.configure({ timeoutMs: 300 });
  sb.queueFault({ fault: 'delay=1000' });
  const r = h.recorder();
  const returned = send(zhenzisms)(r.cb);
  await h.waitFor(() => clock.timers.size === 1 && sb.requests.length === 1);
  clock.advance(300); // the timeout, before the reply
  const res = await returned;
  assertFailure(zhenzisms, res, 9101, 'timeout');
  // The late reply comes and goes: still one callback.
  await h.waitFor(() => sb.inbox(h.NUMBER).length === 1);
  await h.sleep(1200);
  assert.strictEqual(r.calls.length, 1);
  // The sandbox processed it at once (as the real server would): the timeout solution says
  // to look the message up before resending.
  assert.strictEqual(sb.inbox(h.NUMBER).length, 1);
});

test('a relay URL on a closed port → 9100', async (t) => {
  const closed = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
  const { mp, zhenzisms } = await sdkFor(t, { requestDomains: [sb.url, closed] });
  zhenzisms.client.configure({ relayUrl: closed });
  for (const start of [send(zhenzisms), (cb) => zhenzisms.client.balance(cb), (cb) => zhenzisms.client.findSmsByMessageId(cb, 'm-1')]) {
    const { res } = await pageCall(start);
    assertFailure(zhenzisms, res, 9100, 'network');
    assert.strictEqual(res.statusCode, 0);
  }
  assert.strictEqual(mp.requests.length, 3);
  assert.ok(mp.requests.every((r) => r.url.startsWith(closed + '/')));
  assert.strictEqual(h.vendorRequests(sb).length, 0);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('a chunked reply (pieces split inside UTF-8 characters) is read whole', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'chunked=7' });
  const { res } = await pageCall(send(zhenzisms));
  assert.deepStrictEqual(h.plain(res.data), { code: 0, data: '发送成功' });
  assert.strictEqual(res.error, undefined);
});

test('sends are never repeated after a failure, even with retries set (no duplicate SMS)', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  zhenzisms.client.configure({ retries: 2 });
  sb.queueFault({ fault: 'http502', path: '/sms/send.html', count: 1 });
  sb.queueFault({ fault: 'reset', path: '/sms/send.html', count: 1 });
  assert.strictEqual((await pageCall(send(zhenzisms))).res.data.code, 9102);
  assert.strictEqual((await pageCall(send(zhenzisms))).res.data.code, 9100);
  assert.strictEqual(h.vendorRequests(sb).length, 2);
});

test('balance is retried on a retriable failure when retries are set, and the callback still comes once', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  zhenzisms.client.configure({ retries: 2 });
  sb.queueFault({ fault: 'http502', path: '/sms/balance.html', count: 2 });
  const { res } = await pageCall((cb) => zhenzisms.client.balance(cb), 200);
  assert.deepStrictEqual(h.plain(res.data), { code: 0, data: 1000 });
  assert.deepStrictEqual(h.vendorRequests(sb).map((r) => r.status), [502, 502, 200]);
});

test('without retries configured (the vendor default) balance is tried once', async (t) => {
  const { zhenzisms } = await sdkFor(t);
  sb.queueFault({ fault: 'http502', path: '/sms/balance.html', count: 1 });
  const { res } = await pageCall((cb) => zhenzisms.client.balance(cb));
  assert.strictEqual(res.data.code, 9102);
  assert.strictEqual(h.vendorRequests(sb).length, 1);
});

test('a callback that throws is called once; the error surfaces like a wx.request callback error', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  let calls = 0;
  const returned = zhenzisms.client.send(function (res) {
    calls++;
    void res.data.code;
    throw new Error('page bug');
  }, h.NUMBER, '您的验证码为1234。');
  const res = await returned;
  await h.waitFor(() => mp.errors.length, 'the page error to be reported');
  await h.sleep(50);
  assert.strictEqual(calls, 1);
  assert.strictEqual(res.data.code, 0);
  assert.strictEqual(mp.errors.length, 1);
  assert.strictEqual(mp.errors[0].message, 'page bug');
  assert.strictEqual(sb.inbox(h.NUMBER).length, 1);
});

test('15 sends at once (wx.request allows 10 in flight): every one answered, each callback once', async (t) => {
  const { mp, zhenzisms } = await sdkFor(t);
  const numbers = Array.from({ length: 15 }, (_, i) => '138001380' + String(i).padStart(2, '0'));
  const calls = numbers.map(() => []);
  const results = await Promise.all(numbers.map((n, i) => zhenzisms.client.send((res) => calls[i].push(res.data.code), n, `并发测试 ${i}。`)));
  await h.sleep(30);
  assert.deepStrictEqual(calls, numbers.map(() => [0]));
  assert.deepStrictEqual(results.map((r) => r.data.code), numbers.map(() => 0));
  assert.deepStrictEqual(numbers.map((n, i) => h.lastMessage(sb, n)), numbers.map((n, i) => `并发测试 ${i}。`));
  assert.strictEqual(mp.requests.length, 15);
});
